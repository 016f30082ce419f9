//! One module per subcommand: its `Args` and its `run`.

pub mod bench;
pub mod chart;
pub mod collocates;
pub mod cooc;
pub mod dispersion;
pub mod freq;
pub mod heaps;
pub mod keyness;
pub mod kwic;
pub mod lexdiv;
pub mod ngrams;
pub mod report;
pub mod tfidf;
pub mod tokenize;
pub mod zipf;
