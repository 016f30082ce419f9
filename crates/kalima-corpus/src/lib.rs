//! Corpus readers: files, directories, compression, archives, formats and encodings, streamed as chunks
#![deny(missing_docs)]
