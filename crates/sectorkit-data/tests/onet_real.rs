//! The O*NET readers on the real O*NET 27.0 and 29.2 files (`shared/data/onet_27_0`,
//! `shared/data/onet_29_2`): row counts from SOURCE.md, the O*NET-SOC → SOC rule on real codes,
//! category decoding, and errors that name file, line and field.

mod common;

use common::shared;
use sectorkit_data::onet::{self, JobZone, OnetErrorKind, SocRule};

fn path(rel: &str) -> (String, std::fs::File) {
    let p = shared(rel);
    (p.display().to_string(), onet::open(&p).unwrap())
}

#[test]
fn job_zones_923_rows_and_the_soc_rule() {
    let (name, f) = path("onet_27_0/onet27_job_zones.txt");
    let rows = onet::read_job_zones(&name, f).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 923);
    assert_eq!(rows[0].onet_code, "11-1011.00");
    assert_eq!(rows[0].job_zone, JobZone::new(5).unwrap());
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].domain_source, "Analyst");
    let count = |z: u8| rows.iter().filter(|r| r.job_zone.get() == z).count();
    assert_eq!(
        [count(1), count(2), count(3), count(4), count(5)],
        [32, 289, 220, 224, 158]
    );

    let by_soc = onet::job_zones_by_soc(&rows);
    assert_eq!(by_soc.len(), 798);
    let multi = by_soc.values().filter(|s| s.from.len() > 1).count();
    assert_eq!(multi, 67);
    let no_00 = by_soc
        .values()
        .filter(|s| s.rule == SocRule::MostCommonZone)
        .count();
    assert_eq!(no_00, 15);
    let only = by_soc
        .values()
        .filter(|s| s.rule == SocRule::OnlyCode)
        .count();
    assert_eq!(only, 9, "SOC codes whose one O*NET code is not .00");
    // .00 present: its zone, even where sub-occupations differ (11-3013.01 is zone 4).
    let s = &by_soc["11-3013"];
    assert_eq!((s.job_zone.get(), s.rule), (3, SocRule::SocLevel));
    assert_eq!(s.from.len(), 2);
    // No .00, a majority: 11-9199 has five codes in zone 4 and one in zone 3.
    let s = &by_soc["11-9199"];
    assert_eq!((s.job_zone.get(), s.rule), (4, SocRule::MostCommonZone));
    assert_eq!(s.from.len(), 6);
    // No .00, a tie (11-9179.01 zone 4, .02 zone 3): the lower zone.
    let s = &by_soc["11-9179"];
    assert_eq!((s.job_zone.get(), s.rule), (3, SocRule::MostCommonZone));
    // No .00, a tie (17-3029.01 zone 2, .08 zone 3): the lower zone.
    assert_eq!(by_soc["17-3029"].job_zone.get(), 2);
}

#[test]
fn job_zone_reference() {
    let (name, f) = path("onet_27_0/onet27_job_zone_reference.txt");
    let rows = onet::read_job_zone_reference(&name, f).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 5);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(usize::from(r.job_zone.get()), i + 1);
        assert!(
            r.name.ends_with(r.job_zone.name()),
            "{} / {}",
            r.name,
            r.job_zone.name()
        );
        assert!(!r.svp_range.is_empty());
    }
    assert_eq!(
        rows[0].name,
        "Job Zone One: Little or No Preparation Needed"
    );
}

#[test]
fn occupation_data_27_and_29_2() {
    let (name, f) = path("onet_27_0/onet27_occupation_data.txt");
    let v27 = onet::read_occupations(&name, f).unwrap_or_else(|e| panic!("{e}"));
    let (name, f) = path("onet_29_2/onet_occupation_data.txt");
    let v29 = onet::read_occupations(&name, f).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v27.len(), 1_016);
    assert_eq!(v29.len(), 1_016);
    // 29.2 has CRLF line endings: no stray `\r` in the text, and lines are file lines.
    assert!(v29.iter().all(|o| !o.description.contains('\r')));
    assert_eq!(v29[1].line, 3);
    assert_eq!(v29[1].onet_code, "11-1011.03");
    assert_eq!(v29[1].title, "Chief Sustainability Officers");
    assert_eq!(v29.last().unwrap().line, 1_017);
    let soc_level = v29
        .iter()
        .filter(|o| onet::is_soc_level(&o.onet_code))
        .count();
    assert_eq!(soc_level, 867, "SOURCE.md: 867 codes end in .00");
    assert_eq!(onet::soc_code(&v29[1].onet_code), Some("11-1011"));
}

#[test]
fn education_training_experience_and_categories() {
    let (name, f) = path("onet_27_0/onet27_education_training_and_experience_categories.txt");
    let cats = onet::read_ete_categories(&name, f).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cats.rows.len(), 41);
    assert_eq!(
        cats.describe("RL", 1),
        Some("Less than a High School Diploma")
    );
    assert_eq!(cats.describe("RL", 12), Some("Post-Doctoral Training"));
    assert_eq!(cats.short("RL", 2), Some("High School Diploma"));
    assert_eq!(cats.short("RL", 5), Some("Associate's Degree"));
    assert_eq!(cats.short("RL", 3), Some("Post-Secondary Certificate"));
    assert_eq!(cats.describe("OJ", 1), Some("None or short demonstration"));
    assert_eq!(cats.describe("RL", 13), None);

    // The big file, gzipped (detected from the magic bytes).
    let (name, f) = path("onet_27_0/onet27_education_training_and_experience.txt.gz");
    let rows = onet::read_ete(&name, f).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 35_723);
    assert_eq!(rows.last().unwrap().line, 35_724);
    let im = rows.iter().filter(|r| r.scale_id == "IM").count();
    assert_eq!(im, 791);
    assert!(
        rows.iter()
            .filter(|r| r.scale_id == "IM")
            .all(|r| r.category.is_none())
    );
    // Every category in the file decodes.
    for r in rows.iter().filter(|r| r.scale_id != "IM") {
        let c = r.category.expect("category");
        assert!(
            cats.describe(&r.scale_id, c).is_some(),
            "line {}: {} {c}",
            r.line,
            r.scale_id
        );
    }

    let dists = onet::rl_distributions(&rows);
    assert_eq!(dists.len(), 852);
    for d in &dists {
        assert_eq!(d.shares.len(), 12, "{}", d.onet_code);
        let total: f64 = d.shares.iter().map(|s| s.1).sum();
        assert!(
            (total - 100.0).abs() < 0.05,
            "{} sums to {total}",
            d.onet_code
        );
    }
    let ceo = dists.iter().find(|d| d.onet_code == "11-1011.00").unwrap();
    assert_eq!(ceo.shares[3], (4, 6.05));
    assert_eq!(ceo.n, Some(27));

    let by_soc = onet::rl_by_soc(&dists);
    assert_eq!(by_soc.len(), 747);
    // 13-1041 has RL data only for sub-occupations: the lowest-numbered one is used.
    let s = &by_soc["13-1041"];
    assert_eq!(s.rule, SocRule::LowestCode);
    assert_eq!(s.distribution.onet_code, "13-1041.01");
    assert_eq!(s.candidates, 6);
    assert_eq!(by_soc["11-1011"].distribution.onet_code, "11-1011.00");
    assert_eq!(by_soc["11-1011"].rule, SocRule::SocLevel);
}

#[test]
fn errors_name_file_line_and_field() {
    let head = "O*NET-SOC Code\tJob Zone\tDate\tDomain Source\n";
    let e = onet::read_job_zones(
        "jz.txt",
        format!("{head}11-1011.00\t6\t07/2014\tAnalyst\n").as_bytes(),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), OnetErrorKind::BadJobZone(_)));
    assert_eq!(
        (e.file(), e.line(), e.field()),
        ("jz.txt", Some(2), Some("Job Zone"))
    );
    assert_eq!(
        e.to_string(),
        "jz.txt: line 2, field Job Zone: \"6\" is not a job zone (1-5)"
    );
    let e = onet::read_job_zones(
        "jz.txt",
        format!("{head}11-1011.00\t5\t07/2014\tAnalyst\r\n11-1011\t5\t07/2014\tAnalyst\r\n")
            .as_bytes(),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), OnetErrorKind::BadCode(_)));
    assert_eq!((e.line(), e.field()), (Some(3), Some("O*NET-SOC Code")));
    let e = onet::read_job_zones("jz.txt", "Code\tZone\n1\t2\n".as_bytes()).unwrap_err();
    assert!(
        matches!(e.kind(), OnetErrorKind::MissingColumns { .. }),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("O*NET-SOC Code, Job Zone, Date, Domain Source"),
        "{e}"
    );
    let e =
        onet::read_job_zones("jz.txt", format!("{head}11-1011.00\t5\n").as_bytes()).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            OnetErrorKind::FieldCount {
                expected: 4,
                found: 2
            }
        ),
        "{e}"
    );
    let e = onet::read_job_zones("jz.txt", "".as_bytes()).unwrap_err();
    assert!(matches!(e.kind(), OnetErrorKind::Empty));

    let ete_head = "O*NET-SOC Code\tElement ID\tElement Name\tScale ID\tCategory\tData Value\tN\tStandard Error\tLower CI Bound\tUpper CI Bound\tRecommend Suppress\tDate\tDomain Source\n";
    let e = onet::read_ete(
        "ete.txt",
        format!("{ete_head}11-1011.00\t2.D.1\tRequired Level of Education\tRL\t1\tzero\t27\t0.00\tn/a\tn/a\tN\t07/2014\tIncumbent\n").as_bytes(),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), OnetErrorKind::NotANumber(_)));
    assert_eq!((e.line(), e.field()), (Some(2), Some("Data Value")));
    let e = onet::read_ete(
        "ete.txt",
        format!("{ete_head}11-1011.00\t2.D.1\tRequired Level of Education\tRL\t1\t0.00\t27\t0.00\tn/a\tn/a\tMaybe\t07/2014\tIncumbent\n").as_bytes(),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), OnetErrorKind::NotAFlag(_)));
    assert_eq!(e.field(), Some("Recommend Suppress"));
}
