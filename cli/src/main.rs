//! `ferrous-lua`: the lua(1)-compatible command line.

fn main() {}
