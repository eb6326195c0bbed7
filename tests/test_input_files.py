"""Prospect lists as spreadsheets really save them: semicolons, Latin-1, UTF-16, odd links."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import prospector

from prospector.inputs import read_prospects, text_encoding


def test_a_semicolon_list_without_a_csv_extension_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "prospects.txt"
    path.write_text("url;name\nhttps://site-a.com/;Site A\nhttps://site-b.org/blog;Site B\n", encoding="utf-8")
    prospects, problems = read_prospects(path)
    assert [(p.url, p.name) for p in prospects] == [("https://site-a.com/", "Site A"),
                                                    ("https://site-b.org/blog", "Site B")]
    assert problems == []


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_latin1_and_utf16_lists_are_read_and_the_encoding_named(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "prospects.csv"
    text = "url,name,notes\nhttps://cafe-blog.fr/,Café Crème,très bien\nhttps://muenchen-blog.de/,München,Grüße\n"
    path.write_bytes(text.encode(encoding))
    prospects, problems = read_prospects(path)
    assert [(p.name, p.notes) for p in prospects] == [("Café Crème", "très bien"), ("München", "Grüße")]
    assert problems == []
    if encoding == "utf-16":
        assert text_encoding(path) == "utf-16"
    else:
        assert text_encoding(path) in ("cp1252", "latin_1", "iso8859_15")


def test_the_cli_says_which_encoding_it_used(tmp_path: Path) -> None:
    path = tmp_path / "prospects.csv"
    path.write_bytes("url,name\nhttps://cafe-blog.fr/,Café Crème\n".encode("utf-16"))
    run = prospector("crawl", "--prospects", str(path), "--db", str(tmp_path / "s.sqlite"), "--max-pages", "1",
                     "--nameserver", "127.0.0.1:9", "--dns-timeout", "0.2", "--dns-retries", "0")
    assert f"Note: {path} is not UTF-8; read it as utf-16." in run.stderr


@pytest.mark.parametrize("link,message", [
    ("javascript:alert(1)", "not a web URL (javascript): 'javascript:alert(1)'"),
    ("mailto:editor@site.com", "not a web URL (mailto): 'mailto:editor@site.com'"),
])
def test_links_that_are_not_web_addresses_are_named_as_such(tmp_path: Path, link: str, message: str) -> None:
    path = tmp_path / "prospects.txt"
    path.write_text(f"https://good.com/\n{link}\n", encoding="utf-8")
    prospects, problems = read_prospects(path)
    assert [p.url for p in prospects] == ["https://good.com/"]
    assert [str(p) for p in problems] == [f"{path}:2: {message}"]


def test_a_cyrillic_windows_list_is_read_as_such(tmp_path: Path) -> None:
    path = tmp_path / "prospects.csv"
    text = "url,name,notes\nhttps://blog-one.ru/,Блог о маркетинге,хороший сайт про аналитику\n"
    path.write_bytes(text.encode("cp1251"))
    prospects, _ = read_prospects(path)
    assert (prospects[0].name, text_encoding(path)) == ("Блог о маркетинге", "cp1251")
