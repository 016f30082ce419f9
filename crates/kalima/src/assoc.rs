//! Being moved here from the command line (issue 15); not yet public API.
