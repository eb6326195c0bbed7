from __future__ import annotations

from pathlib import Path

import pytest

from prospector.inputs import InputFileError, read_prospects


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_good_and_bad_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "\ufeffURL,Name,Email,max_pages,max_depth,path_prefix\n"
                 "https://Blog.Example.com/,Blog,ed@example.com,10,1,\n"
                 "example.org,Bare domain,,,,/resources/\n"
                 ",empty url,,,,\n"
                 "https://x.com/,,not-an-email,,,\n"
                 "https://y.com/,,,-3,,\n"
                 "https://z.com/,,,,deep,\n"
                 "https://w.com/,,,,,blog\n"
                 "https://blog.example.com,dup,,,,\n"
                 "localhost,,,,,\n")
    prospects, problems = read_prospects(path)
    assert [(p.url, p.domain, p.name, p.email, p.max_pages, p.max_depth, p.path_prefix, p.source)
            for p in prospects] == [
        ("https://blog.example.com/", "example.com", "Blog", "ed@example.com", 10, 1, "", f"{path}:2"),
        ("https://example.org/", "example.org", "Bare domain", "", None, None, "/resources/", f"{path}:3"),
        ("https://x.com/", "x.com", "", "", None, None, "", f"{path}:5"),  # a bad email cell: crawled all the same
    ]
    assert [str(p) for p in problems] == [
        f"{path}:4: empty url",
        f"{path}:5: invalid email 'not-an-email': crawled all the same, a contact is looked for on the site",
        f"{path}:6: max_pages must be at least 1, got -3",
        f"{path}:7: max_depth must be a whole number, got 'deep'",
        f"{path}:8: path_prefix must start with '/': 'blog'",
        f"{path}:9: duplicate of line 2: https://blog.example.com/",
        f"{path}:10: not a public host name: 'localhost'",
    ]


def test_plain_text_list_with_comments(tmp_path: Path) -> None:
    path = write(tmp_path, "p.txt", "# my prospects\nhttps://a.com/\n\n  https://b.org/blog  # good one\nftp://c.com/\n")
    prospects, problems = read_prospects(path)
    assert [p.url for p in prospects] == ["https://a.com/", "https://b.org/blog"]
    assert [str(p) for p in problems] == [f"{path}:5: not a web URL (ftp): 'ftp://c.com/'"]


def test_csv_without_url_column_is_a_file_error(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "blog,name\nhttps://a.com,A\n")
    with pytest.raises(InputFileError, match=r"p\.csv:1: no 'url' column in the header \(blog, name\)"):
        read_prospects(path)


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="file not found"):
        read_prospects(tmp_path / "none.csv")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(InputFileError, match=r"b\.txt: not a text file \(no text encoding fits it\)"):
        read_prospects(binary)


@pytest.mark.parametrize("header", ["Address", "Website", "domain", "URL", "Site"])
def test_other_tools_names_for_the_url_column(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, "p.csv", f"{header},Status Code,DR\nhttps://a.com/,200,54\n")
    prospects, problems = read_prospects(path)
    assert problems == []
    assert [(p.url, p.extra) for p in prospects] == [("https://a.com/", (("Status Code", "200"), ("DR", "54")))]


def test_an_address_as_mail_clients_paste_it(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", 'url,E-mail\nhttps://a.com/,"Elena Rossi <office@a.com>"\n'
                                    "https://b.org/,mailto:ed@b.org\nhttps://c.net/,bob@\n")
    prospects, problems = read_prospects(path)
    assert [(p.url, p.email, p.contact_name) for p in prospects] == [
        ("https://a.com/", "office@a.com", "Elena Rossi"), ("https://b.org/", "ed@b.org", ""), ("https://c.net/", "",
                                                                                                "")]
    assert [str(p) for p in problems] == [
        f"{path}:4: invalid email 'bob@': crawled all the same, a contact is looked for on the site"]


def test_a_prospect_list_saved_as_xlsx(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Website", "Name", "Notes", "Traffic"])
    book.active.append(["https://a.com/blog", "A blog", "met at a conference", 1200])
    book.save(tmp_path / "prospects.xlsx")
    prospects, problems = read_prospects(tmp_path / "prospects.xlsx")
    assert problems == []
    assert [(p.url, p.name, p.notes, p.extra) for p in prospects] == [
        ("https://a.com/blog", "A blog", "met at a conference", (("Traffic", "1200"),))]
