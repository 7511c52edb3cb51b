//! Reading import files: CSV as Excel writes it, the same rows as CSV and
//! as .xlsx planned alike against an org on loopback, and rows whose
//! quotes are broken.

use crate::pty::tempdir;
use crate::support::{client_for, demo_org};
use oktui::import::read::{Row, read_csv};
use oktui::import::{Options, prepare};

#[test]
fn excel_made_csv_with_a_bom_semicolons_and_crlf_reads_as_written() {
    let bytes = b"\xEF\xBB\xBFlogin;firstName;lastName;email;skills\r\n\
        ann@example.com;\"Ann; \"\"the First\"\"\";\"Two\r\nLines\";ann@example.com;\"go;rust\"\r\n\
        bo@example.com;Bo;Smith, Jr.;bo@example.com;\r\n";
    let table = read_csv(bytes).expect("a header");
    assert_eq!(table.headers, ["login", "firstName", "lastName", "email", "skills"]);
    assert!(table.broken.is_empty(), "{:?}", table.broken);
    let cells = |r: &Row| r.cells.clone();
    assert_eq!(table.rows.len(), 2, "{:?}", table.rows);
    assert_eq!(
        cells(&table.rows[0]),
        ["ann@example.com", "Ann; \"the First\"", "Two\r\nLines", "ann@example.com", "go;rust"]
    );
    assert_eq!(cells(&table.rows[1]), ["bo@example.com", "Bo", "Smith, Jr.", "bo@example.com", ""]);
    assert_eq!((table.rows[0].number, table.rows[1].number), (2, 3));
}

#[test]
fn a_broken_quote_is_reported_with_its_row_and_the_rows_before_it_are_kept() {
    let text = "login,firstName,lastName,email\n\
        ann@example.com,Ann,Lee,ann@example.com\n\
        bo@example.com,Bo\"b,Smith,bo@example.com\n\
        cy@example.com,Cy,Young,cy@example.com\n\
        di@example.com,Di,\"Open,di@example.com\n";
    let table = read_csv(text.as_bytes()).expect("a header");
    let logins: Vec<&str> = table.rows.iter().map(|r| r.cell(0)).collect();
    assert_eq!(logins, ["ann@example.com", "cy@example.com"]);
    let broken: Vec<(usize, Option<&str>)> = table.broken.iter().map(|b| (b.row, b.column.as_deref())).collect();
    assert_eq!(broken, [(3, Some("firstName")), (5, Some("lastName"))], "{:?}", table.broken);
    assert!(table.broken.iter().all(|b| b.message.contains("quote")));
}

const HEADERS: [&str; 9] =
    ["login", "firstName", "lastName", "email", "department", "clearanceLevel", "skills", "groups", "userType"];

/// An existing user changed, one unchanged, two new (one a contractor).
fn rows() -> Vec<[&'static str; 9]> {
    vec![
        ["admin@example.com", "Demo", "Admin", "admin@example.com", "Security", "5", "okta", "IT;Sales", ""],
        ["new.one@example.com", "New", "One", "new.one@example.com", "Sales", "3", "go;rust", "Sales", "contractor"],
        ["new.two@example.com", "New", "Two", "new.two@example.com", "", "", "", "", ""],
    ]
}

fn write_xlsx(path: &std::path::Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Notes").expect("name").write_string(0, 0, "not the users").expect("cell");
    let sheet = book.add_worksheet().set_name("Users").expect("name");
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("cell");
    }
    for (r, row) in rows().iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            // A spreadsheet keeps numbers as numbers.
            match value.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n).map(drop),
                Err(_) if value.is_empty() => Ok(()),
                Err(_) => sheet.write_string(r, c, *value).map(drop),
            }
            .expect("cell");
        }
    }
    book.save(path).expect("xlsx written");
}

#[tokio::test]
async fn the_same_rows_as_csv_and_as_xlsx_give_the_same_plan() {
    let org = demo_org().await;
    let client = client_for(&org);
    let dir = tempdir::Dir::new();
    let csv_path = dir.path.join("users.csv");
    let mut text = HEADERS.join(",") + "\n";
    for row in rows() {
        text += &(row.join(",") + "\n");
    }
    std::fs::write(&csv_path, text).expect("csv written");
    let xlsx_path = dir.path.join("users.xlsx");
    write_xlsx(&xlsx_path);

    let options = Options { update_existing: true, ..Options::default() };
    let from_csv = prepare(&client, &csv_path, None, &options, true).await.expect("csv planned");
    let from_xlsx = prepare(&client, &xlsx_path, Some("Users"), &options, true).await.expect("xlsx planned");
    assert!(from_csv.problems.is_empty(), "{:?}", from_csv.problems);
    assert!(from_xlsx.problems.is_empty(), "{:?}", from_xlsx.problems);
    let kinds: Vec<&str> = from_csv.planned.iter().map(|p| p.kind.word()).collect();
    assert_eq!(kinds, ["update", "create", "create"]);
    assert_eq!(from_csv.planned, from_xlsx.planned);
    let profiles = |l: &oktui::import::Loaded| {
        l.prepared
            .iter()
            .flatten()
            .map(|p| (p.profile.clone(), p.group_ids.clone(), p.type_id.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(profiles(&from_csv), profiles(&from_xlsx));
    let diff = from_csv.planned[0].diff(|g| from_csv.group_name(g));
    assert_eq!(diff, "department: \"IT\" → \"Security\"; groups: +Sales");
    assert!(from_csv.prepared[1].as_ref().is_some_and(|p| p.type_id.is_some()), "contractor named");

    // The first sheet is a note: read by default, its header is refused.
    let first = prepare(&client, &xlsx_path, None, &options, true).await.expect("read");
    assert!(first.problems.iter().any(|p| p.row == 1), "{:?}", first.problems);
    let missing = prepare(&client, &xlsx_path, Some("Staff"), &options, true).await.err().expect("no such sheet");
    assert!(missing.to_string().contains("no sheet named \"Staff\" (it has: Notes, Users)"), "{missing}");
}
