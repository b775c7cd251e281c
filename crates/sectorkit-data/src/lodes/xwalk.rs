//! The LODES geography crosswalk `{st}_xwalk.csv[.gz]`: one row per census block with its state,
//! county, tract, CBSA, … (43 columns). Only what commuting figures need is kept: the block
//! vintage (`tabblk2010` = LODES 7, `tabblk2020` = LODES 8), the states and the counties with
//! their names, and the blocks whose crosswalk county differs from the county in their code.
//! Every block code is checked to be 15 digits.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::error::{self, LodesError, LodesErrorKind};
use super::{HashingRead, open_stream};

/// What a crosswalk says about counties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosswalk {
    /// File name without directories.
    pub file_name: String,
    /// SHA-256 (hex) of the file as stored.
    pub sha256: String,
    /// 2010 (LODES 7) or 2020 (LODES 8): the census blocks of the geocodes.
    pub block_vintage: u16,
    /// Blocks (rows) read.
    pub blocks: u64,
    /// States: FIPS → (USPS code, name).
    pub states: BTreeMap<String, (String, String)>,
    /// Counties: FIPS → name as the crosswalk writes it (`Providence County, RI`).
    pub counties: BTreeMap<String, String>,
    /// Blocks whose `cty` is not the first 5 digits of their code, as (block, `cty`): boundary
    /// corrections after the block vintage (7 blocks in the RI 2019 LODES 7 crosswalk, two of
    /// them now in Massachusetts). OD rows are aggregated by the code's county, as METHODS §5.1
    /// says; callers report these.
    pub reassigned: Vec<(String, String)>,
}

impl Crosswalk {
    /// The LODES version of the block vintage: 7 (2010 blocks) or 8 (2020 blocks).
    pub fn lodes_version(&self) -> u8 {
        if self.block_vintage >= 2020 { 8 } else { 7 }
    }
}

/// Reads a crosswalk from disk (plain or gzip).
pub fn read_xwalk_path(path: &Path) -> Result<Crosswalk, LodesError> {
    let name = super::file_name(path);
    let f = File::open(path).map_err(|e| LodesError::new(&name, LodesErrorKind::Io(e)))?;
    read_xwalk(&name, f)
}

/// Reads a crosswalk from any byte stream.
pub fn read_xwalk<R: Read>(name: &str, reader: R) -> Result<Crosswalk, LodesError> {
    let mut hashing = HashingRead::new(reader);
    let (block_vintage, blocks, states, counties, reassigned) = {
        let (_, input) = open_stream(name, &mut hashing)?;
        read_rows(name, input)?
    };
    std::io::copy(&mut hashing, &mut std::io::sink())
        .map_err(|e| LodesError::new(name, error::classify_io(e)))?;
    let (sha256, _) = hashing.finish();
    Ok(Crosswalk {
        file_name: name.to_string(),
        sha256,
        block_vintage,
        blocks,
        states,
        counties,
        reassigned,
    })
}

type Rows = (
    u16,
    u64,
    BTreeMap<String, (String, String)>,
    BTreeMap<String, String>,
    Vec<(String, String)>,
);

fn read_rows(name: &str, input: Box<dyn Read + '_>) -> Result<Rows, LodesError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .buffer_capacity(256 * 1024)
        .from_reader(input);
    let mut rec = csv::ByteRecord::new();
    if !rdr
        .read_byte_record(&mut rec)
        .map_err(|e| error::from_csv(name, e, 0))?
    {
        return Err(LodesError::new(name, LodesErrorKind::Empty));
    }
    let header: Vec<String> = rec
        .iter()
        .map(|f| {
            String::from_utf8_lossy(f)
                .trim_start_matches('\u{feff}')
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    let find = |c: &str| header.iter().position(|h| h == c);
    let (block_col, block_field, vintage) = match (find("tabblk2020"), find("tabblk2010")) {
        (Some(i), _) => (Some(i), "tabblk2020", 2020),
        (None, Some(i)) => (Some(i), "tabblk2010", 2010),
        (None, None) => (None, "tabblk2010 or tabblk2020", 0),
    };
    let cols = ["st", "stusps", "stname", "cty", "ctyname"].map(find);
    let mut missing: Vec<String> = Vec::new();
    if block_col.is_none() {
        missing.push(block_field.into());
    }
    for (c, n) in cols
        .iter()
        .zip(["st", "stusps", "stname", "cty", "ctyname"])
    {
        if c.is_none() {
            missing.push(n.into());
        }
    }
    let (Some(b), [Some(st), Some(usps), Some(stname), Some(cty), Some(ctyname)]) =
        (block_col, cols)
    else {
        return Err(LodesError::new(
            name,
            LodesErrorKind::MissingColumns {
                what: "crosswalk",
                missing,
            },
        )
        .at_line(1));
    };
    let mut states = BTreeMap::new();
    let mut counties: BTreeMap<String, String> = BTreeMap::new();
    let mut reassigned = Vec::new();
    let mut blocks = 0u64;
    let mut line = 1u64;
    let text = |raw: &[u8]| String::from_utf8_lossy(raw).into_owned();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(error::from_csv(name, e, line)),
        }
        line = rec.position().map(|p| p.line()).unwrap_or(line + 1);
        let block = &rec[b];
        if block.len() != 15 || !block.iter().all(u8::is_ascii_digit) {
            return Err(
                LodesError::new(name, LodesErrorKind::BadGeocode(text(block)))
                    .at_line(line)
                    .in_field(block_field),
            );
        }
        if rec[cty] != block[..5] {
            reassigned.push((text(block), text(&rec[cty])));
        }
        let county = &rec[cty];
        // `cty` equals the block's first 5 digits (checked above): ASCII.
        if !counties.contains_key(std::str::from_utf8(county).unwrap_or("")) {
            counties.insert(text(county), text(&rec[ctyname]));
            states
                .entry(text(&rec[st]))
                .or_insert_with(|| (text(&rec[usps]), text(&rec[stname])));
        }
        blocks += 1;
    }
    if blocks == 0 {
        return Err(LodesError::new(name, LodesErrorKind::NoDataRows));
    }
    Ok((vintage, blocks, states, counties, reassigned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counties_and_vintage() {
        let text = "tabblk2010,st,stusps,stname,cty,ctyname,cbsa\n\
                    440099902000001,44,RI,Rhode Island,44009,\"Washington County, RI\",39300\n\
                    250056321001012,25,MA,Massachusetts,25005,\"Bristol County, MA\",39300\n\
                    440099902000002,44,RI,Rhode Island,44009,\"Washington County, RI\",39300\n";
        let x = read_xwalk("ri_xwalk.csv", text.as_bytes()).unwrap();
        assert_eq!((x.block_vintage, x.lodes_version(), x.blocks), (2010, 7, 3));
        assert_eq!(x.counties["44009"], "Washington County, RI");
        assert_eq!(x.counties.len(), 2);
        assert_eq!(x.states["25"].0, "MA");
    }

    #[test]
    fn reports_blocks_whose_county_moved() {
        let text = "tabblk2020,st,stusps,stname,cty,ctyname\n\
                    440099902000001,44,RI,Rhode Island,44007,Providence County\n";
        let x = read_xwalk("ri_xwalk.csv", text.as_bytes()).unwrap();
        assert_eq!(
            x.reassigned,
            [("440099902000001".to_string(), "44007".to_string())]
        );
        let e = read_xwalk("x.csv", "a,b\n1,2\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("tabblk2010 or tabblk2020"), "{e}");
        let e = read_xwalk(
            "x.csv",
            "tabblk2010,st,stusps,stname,cty,ctyname\n4400,44,RI,R,44007,P\n".as_bytes(),
        )
        .unwrap_err();
        assert_eq!((e.line(), e.field()), (Some(2), Some("tabblk2010")));
    }
}
