"""The page "Gegevens en kwaliteit", section Pseudonimiseren: upload an export with BSNs, download it pseudonymised
(AppTest). The key comes from the environment as for the command line and never appears on the page."""

import hashlib
import hmac

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from monitor import pseudonymise
from monitor.imports import bsn
from tests.test_page_gegevens import open_page

KEY = "sleutel-voor-de-paginatest-1234"
# Test numbers that pass the elfproef, not real BSNs; the last two are 012345672 without its zero and with dots.
EXPORT = ("toekenning_id;client_id;opmerking\n"
          "TK-1;111222333;klant belde\n"
          "TK-2;12345672;nieuw: 123.456.782 (partner)\n").encode("utf-8")


def expected(digits: str) -> str:
    return hmac.new(KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()[:32]


@pytest.fixture
def downloads(monkeypatch):
    """What st.download_button hands to the browser: the media files the page stores, by download name."""
    stored = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        stored[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return stored


@pytest.fixture
def page(demo_copy, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    monkeypatch.setenv(pseudonymise.KEY_ENV, KEY)
    return open_page


def section_uploader(at):
    return next(u for u in at.file_uploader if u.label.startswith("Export met BSN"))


def test_upload_gives_a_download_without_any_elfproef_number(page, downloads):
    at = page()
    section_uploader(at).set_value(("toekenningen.csv", EXPORT, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert "client_id (2), opmerking (1)" in at.success[0].value
    assert at.download_button[0].label == "Gepseudonimiseerd bestand downloaden"
    data = downloads["toekenningen.pseudoniem.csv"].decode("utf-8")
    # Both writings of 123456782 and 012345672 without its zero get the pseudonym of their nine digits.
    assert data == ("toekenning_id;client_id;opmerking\n"
                    f"TK-1;{expected('111222333')};klant belde\n"
                    f"TK-2;{expected('012345672')};nieuw: {expected('123456782')} (partner)\n")
    assert all(not bsn.find(line) for line in data.splitlines())
    assert KEY not in "".join(str(e.value) for e in [*at.markdown, *at.caption, *at.success])


def test_without_a_key_the_page_explains_how_to_set_one(page, monkeypatch, tmp_path):
    monkeypatch.delenv(pseudonymise.KEY_ENV)
    monkeypatch.setenv(pseudonymise.KEY_FILE_ENV, str(tmp_path / "geen.key"))
    at = page()
    text = next(i.value for i in at.info if i.value.startswith("Pseudonimiseren kan hier nog niet"))
    assert pseudonymise.KEY_ENV in text and str(tmp_path / "geen.key") in text
    assert "secrets.token_hex(32)" in text
    assert not [u for u in at.file_uploader if u.label.startswith("Export met BSN")]
