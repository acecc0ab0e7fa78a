//! Summary statistics over a comma-separated list, generic over the number type.
//!
//! `Stats::<u8>`, `Stats::<u32>` and `Stats::<i64>` are three copies of the same code
//! (and so are the `sort_unstable` and `str::parse` they call): the monomorphization
//! view groups them under `hello_rust::stats::Stats::parse` and friends.

use std::str::FromStr;

use tiny_json::{Object, ToJson};

/// A number type the `/stats` route accepts (`?type=u8|u32|i64`).
pub trait Number: Copy + Ord + FromStr + ToJson + Into<i64> {
    const NAME: &'static str;
}

impl Number for u8 {
    const NAME: &'static str = "u8";
}

impl Number for u32 {
    const NAME: &'static str = "u32";
}

impl Number for i64 {
    const NAME: &'static str = "i64";
}

pub struct Stats<T> {
    sorted: Vec<T>,
    sum: i64,
}

impl<T: Number> Stats<T> {
    /// `"3,1,2"` -> the sorted values and their sum; an error message for the client
    /// when an item is not a `T` or the sum overflows an i64.
    #[inline(never)] // one visible copy per number type (else all inline into `handle`)
    pub fn parse(list: &str) -> Result<Stats<T>, String> {
        let mut sorted = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item.parse::<T>() {
                Ok(value) => sorted.push(value),
                Err(_) => return Err(format!("not a {}: {:?}", T::NAME, item)),
            }
        }
        if sorted.is_empty() {
            return Err(String::from("give some numbers: ?n=3,1,2"));
        }
        sorted.sort_unstable();
        let mut sum: i64 = 0;
        for value in &sorted {
            sum = sum.checked_add((*value).into()).ok_or("the sum overflows an i64")?;
        }
        Ok(Stats { sorted, sum })
    }

    /// The middle value (the lower of the two middle ones for an even count).
    pub fn median(&self) -> T {
        self.sorted[(self.sorted.len() - 1) / 2]
    }

    pub fn to_json(&self) -> String {
        Object::new()
            .field("type", T::NAME)
            .field("count", &self.sorted.len())
            .field("sum", &self.sum)
            .field("min", &self.sorted[0])
            .field("max", &self.sorted[self.sorted.len() - 1])
            .field("mean", &(self.sum / self.sorted.len() as i64)) // toward zero
            .field("median", &self.median())
            .field("sorted", &self.sorted)
            .finish()
    }
}

/// The `/stats` response body for `?type=` (u32 when absent), or the client's error.
pub fn summarize(kind: &str, list: &str) -> Result<String, String> {
    match kind {
        "u8" => Stats::<u8>::parse(list).map(|s| s.to_json()),
        "u32" | "" => Stats::<u32>::parse(list).map(|s| s.to_json()),
        "i64" => Stats::<i64>::parse(list).map(|s| s.to_json()),
        other => Err(format!("unknown type {:?}: use u8, u32 or i64", other)),
    }
}
