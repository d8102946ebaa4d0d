//! RESP: the request parser (RESP multibulk + inline commands, with Redis's size limits) and the reply
//! writer (RESP2 and RESP3 encodings of abstract replies).

pub mod double;
pub mod parser;
pub mod reply;

pub use parser::{Argv, Limits, Parsed, Parser};
pub use reply::Reply;
