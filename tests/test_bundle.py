"""Output profiles end to end: size-capped upload bundle, parts, page images, mail packet."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat
from pypdf import PdfReader

from packager import api
from packager.cli import main
from tests.conftest import GOOD_TOML, TODAY, render_page, upload_pdf

pytestmark = pytest.mark.slow

MB = 1_000_000


@cache
def _photo(seed: int, size: tuple[int, int]) -> bytes:
    """A noisy phone-like photo of a page with lines and a red seal (about 0.9 MB at 1200x1600)."""
    w, h = size
    page = Image.new("RGB", size, (200 + seed % 40, 190, 170))
    draw = ImageDraw.Draw(page)
    for y in range(h // 20, h - h // 20, max(8, h // 27)):
        draw.rectangle((w // 15, y, w - w // 15 - (y * 7 + seed * 13) % (w // 4), y + h // 70), 40)
    draw.ellipse((w - w // 3, h - h // 4, w - w // 8, h - h // 10), outline=(200, 30, 30), width=14)
    noise = Image.merge("RGB", [Image.effect_noise(size, 40 + seed % 3) for _ in range(3)])
    buffer = io.BytesIO()
    Image.blend(page, noise, 0.2).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def photo(seed: int, size: tuple[int, int] = (1200, 1600)) -> Callable[[Path], None]:
    """A case-file writer for ``_photo``."""
    return lambda path: path.write_bytes(_photo(seed, size))


def grainy_photo(path: Path) -> None:
    """Coarse grain that survives downsampling: over 0.35 MB a page even at 150 ppi, quality 40."""
    grain = Image.merge("RGB", [Image.effect_noise((600, 800), 60) for _ in range(3)])
    grain = grain.resize((2400, 3200), Image.Resampling.NEAREST)
    Image.blend(Image.new("RGB", grain.size, (200, 190, 170)), grain, 0.5).save(
        path, "JPEG", quality=90
    )


def scanned_pdf(pages: int) -> Callable[[Path], None]:
    """A multi-page PDF of noisy scans, as a bank app exports a statement."""

    def write(path: Path) -> None:
        frames = [Image.open(io.BytesIO(_photo(50 + i, (600, 800)))) for i in range(pages)]
        # (BytesIO-backed images hold no file handle.)
        frames[0].save(path, "PDF", save_all=True, append_images=frames[1:], resolution=72)

    return write


def _build(case: Path, out: Path, **settings: object) -> api.Outcome:
    return api.build_case(case, out, api.Settings(today=TODAY, **settings))  # type: ignore[arg-type]


def _page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _images_listed(pdf: Path) -> list[dict[str, str]]:
    """pdfimages -list: what a reader's tools see (size, colour, ppi on the page)."""
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    head = out[0].split()
    return [dict(zip(head, line.split(), strict=False)) for line in out[2:]]


def test_upload_needs_the_quality_ladder(case_factory, tmp_path: Path, tools) -> None:
    """This test ensures photos too big for the cap are re-encoded at 150 ppi in colour to fit it."""
    files = {f"收入证明/IMG_{i}.jpg": photo(i) for i in range(3)}
    files["支出明细/receipt.jpg"] = photo(3)
    files["疾病证明/诊断.jpg"] = photo(4)
    case = case_factory(files=files)
    originals = sum(len(_photo(i, (1200, 1600))) for i in range(5))
    assert originals > 1.2 * MB
    outcome = _build(case, tmp_path / "out", max_mb=1.2)
    assert outcome.out_dir is not None
    pdf = upload_pdf(outcome.out_dir)
    assert pdf.stat().st_size <= 1.2 * MB
    images = _images_listed(pdf)
    assert len(images) == 5
    for image in images:
        assert image["enc"] == "jpeg" and image["color"] == "rgb"
        assert int(image["x-ppi"]) >= 149 and int(image["y-ppi"]) >= 149
    texts = _page_texts(pdf)
    assert all("逾期还款协商" in t for t in texts)
    codes = [f.code for f in outcome.findings]
    assert "UPLOAD_COMPRESSED" in codes
    record = next(o for o in outcome.outputs if o.path == pdf.name)
    assert record.bytes == pdf.stat().st_size and record.profile == "upload"


def test_each_photo_is_decoded_once(case_factory, tmp_path: Path, monkeypatch) -> None:
    """This test ensures the upload ladder is made while the photos are read (one decode a
    photo): the bundler never decodes a photo again when the ladder suffices."""
    from packager.read import normalize
    from packager.write import bundle, ladders, split

    files = {f"收入证明/IMG_{i}.jpg": photo(i) for i in range(4)}
    case = case_factory(files=files)
    loads: list[str] = []
    real_jpeg = normalize._jpeg

    def counted(source, want=None):  # type: ignore[no-untyped-def]
        loads.append(source.rel)
        return real_jpeg(source, want)

    def refused(job):  # type: ignore[no-untyped-def]
        raise AssertionError("a photo was decoded a second time")

    monkeypatch.setattr(normalize, "_jpeg", counted)
    for stage in (bundle, ladders, split):  # every place that could re-encode a photo
        monkeypatch.setattr(stage, "shrink", refused)
    outcome = _build(case, tmp_path / "out", max_mb=1.0, jobs=1)
    assert outcome.out_dir is not None
    pdf = upload_pdf(outcome.out_dir)
    assert pdf.stat().st_size <= 1.0 * MB
    assert sorted(loads) == sorted(files)
    assert "UPLOAD_COMPRESSED" in [f.code for f in outcome.findings]


def test_ladders_cut_at_their_share_are_completed_when_needed(
    case_factory, tmp_path: Path, monkeypatch
) -> None:
    """This test ensures a photo whose ladder stopped at its share of the cap is re-encoded
    further when the packet needs it: one file at the rung full ladders give, not parts."""
    from packager.image.reencode import QUALITIES, TARGET_PPI, Encoding
    from packager.write import bundle

    files = {f"收入证明/IMG_{i}.jpg": photo(60 + i) for i in range(4)}
    case = case_factory(files=files)
    full = _build(case, tmp_path / "full", max_mb=0.6, jobs=1)

    def generous(self, sources, cached=False):  # type: ignore[no-untyped-def]
        return (Encoding(TARGET_PPI, QUALITIES, self.gray, enough=10**9),)

    monkeypatch.setattr(bundle.Options, "encodings", generous)
    short = _build(case, tmp_path / "short", max_mb=0.6, jobs=1)
    assert full.out_dir is not None and short.out_dir is not None
    assert upload_pdf(full.out_dir).stat().st_size <= 0.6 * MB
    assert upload_pdf(short.out_dir).stat().st_size <= 0.6 * MB
    assert not list(short.out_dir.glob("*-part*.pdf")), "completed, not split"
    chosen = [
        next(f for f in o.findings if f.code == "UPLOAD_COMPRESSED").params["quality"]
        for o in (full, short)
    ]
    assert chosen[0] == chosen[1] < QUALITIES[0], "the same rung, below the first"
    for image in _images_listed(upload_pdf(short.out_dir)):
        assert int(image["x-ppi"]) >= 149


def test_upload_splits_into_parts_under_the_cap(case_factory, tmp_path: Path, tools) -> None:
    """This test ensures a packet that cannot fit is split into named parts, each under the cap,
    with global page numbers, 第 k 部分 / 共 n 部分 on each part's first page, and no document cut."""
    files = {f"收入证明/IMG_{i}.jpg": photo(10 + i) for i in range(5)}
    files["支出明细/账单.pdf"] = scanned_pdf(3)
    files.update({f"支出明细/receipt_{i}.jpg": photo(20 + i) for i in range(3)})
    files["疾病证明/诊断.jpg"] = photo(30)
    case = case_factory(files=files)
    cap = 0.9
    outcome = _build(case, tmp_path / "out", max_mb=cap)
    assert outcome.out_dir is not None
    parts = sorted(outcome.out_dir.glob("逾期还款协商-wang-part*-of-*.pdf"))
    n = len(parts)
    assert n >= 2
    assert [p.name for p in parts] == [
        f"逾期还款协商-wang-part{k}-of-{n}.pdf" for k in range(1, n + 1)
    ]
    assert not (outcome.out_dir / "逾期还款协商-wang.pdf").exists()
    numbers: list[int] = []
    for k, part in enumerate(parts, start=1):
        assert part.stat().st_size <= cap * MB, part.name
        texts = _page_texts(part)
        assert f"第 {k} 部分 / 共 {n} 部分" in texts[0]
        assert all("部分" not in t for t in texts[1:])
        for text in texts:
            line = next(line for line in text.splitlines() if "页 / 共" in line)
            numbers.append(int(line.split("第 ")[-1].split(" 页")[0]))
        assert PdfReader(part).outline, "each part has bookmarks"
    assert numbers == list(range(1, len(numbers) + 1))
    statement = next(s for s in outcome.manifest["sources"] if s["path"] == "支出明细/账单.pdf")
    first, last = statement["first_page"], statement["last_page"]
    assert last - first == 2
    holders = {k for k, part in enumerate(parts) for p in (first, last) if p in _numbers_in(part)}
    assert len(holders) == 1, "the 3-page statement is in one part"
    split = next(f for f in outcome.findings if f.code == "UPLOAD_SPLIT")
    assert split.params["parts"] == n
    listed = [o["path"] for o in outcome.manifest["outputs"] if o["profile"] == "upload"]
    assert [p for p in listed if p.endswith(".pdf")] == [p.name for p in parts]


def _numbers_in(pdf: Path) -> set[int]:
    found = set()
    for text in _page_texts(pdf):
        line = next(line for line in text.splitlines() if "页 / 共" in line)
        found.add(int(line.split("第 ")[-1].split(" 页")[0]))
    return found


def test_cap_below_one_page_lowers_resolution_and_reports(case_factory, tmp_path: Path) -> None:
    """This test ensures a photo too big to fit a part even alone drops to 100 ppi, and pages that
    still cannot fit are written anyway and reported, never dropped."""
    files = {
        "收入证明/huge.jpg": grainy_photo,
        "支出明细/a.jpg": photo(41),
        "疾病证明/b.jpg": photo(42),
    }
    case = case_factory(files=files)
    outcome = _build(case, tmp_path / "out", max_mb=0.2)
    codes = [f.code for f in outcome.findings]
    assert "UPLOAD_LOW_RESOLUTION" in codes
    low = next(f for f in outcome.findings if f.code == "UPLOAD_LOW_RESOLUTION")
    assert low.file == "收入证明/huge.jpg"
    assert outcome.out_dir is not None
    parts = sorted(outcome.out_dir.glob("逾期还款协商-wang-part*.pdf"))
    total = sum(len(PdfReader(p).pages) for p in parts)
    assert total == outcome.manifest["sources"][-1]["last_page"]
    over = [f for f in outcome.findings if f.code == "UPLOAD_OVER_CAP"]
    oversized = [p for p in parts if p.stat().st_size > 0.2 * MB]
    assert {f.params["file"] for f in over} == {p.name for p in oversized}
    huge_part = next(p for p in parts if low.page in _numbers_in(p))
    (image,) = _images_listed(huge_part)
    assert 95 <= int(image["x-ppi"]) <= 105


def test_page_images(case_factory, tmp_path: Path, tools) -> None:
    """This test ensures images/…-p001.jpg onward: one per page, in order, under image_max_mb,
    with the label and page number burned in (they match the packet page)."""
    toml = GOOD_TOML + "\n[output]\nimage_max_mb = 0.15\n"
    files = {f"收入证明/IMG_{i}.jpg": photo(60 + i) for i in range(2)}
    files["支出明细/r.jpg"] = photo(62)
    files["疾病证明/d.jpg"] = photo(63)
    case = case_factory(toml=toml, files=files)
    outcome = _build(case, tmp_path / "out")
    assert outcome.out_dir is not None
    pdf = upload_pdf(outcome.out_dir)
    total = len(PdfReader(pdf).pages)
    images = sorted((outcome.out_dir / "images").iterdir())
    assert [p.name for p in images] == [
        f"逾期还款协商-wang-p{n:03d}.jpg" for n in range(1, total + 1)
    ]
    for number, path in enumerate(images, start=1):
        assert path.stat().st_size <= 0.15 * MB
        with Image.open(path) as stored:
            shot = stored.convert("RGB")
        assert 0.70 < shot.width / shot.height < 0.72  # A4 portrait
        page = render_page(pdf, number, dpi=40)
        diff = ImageChops.difference(shot.resize(page.size), page)
        assert max(ImageStat.Stat(diff).mean) < 12, f"page {number} image does not match the packet"
        band = shot.crop((0, 0, shot.width, shot.height // 14)).convert("L")
        assert band.getextrema()[0] < 80, "the label band is burned in"
    listed = {o["path"]: o for o in outcome.manifest["outputs"]}
    assert all(listed[f"images/{p.name}"]["profile"] == "upload" for p in images)


def test_mail_packet_cover_label_and_full_resolution(case_factory, tmp_path: Path, tools) -> None:
    """This test ensures the mail packet starts with a cover sheet (label, both addresses, date,
    checklist counts), then the cut-out address label, then the letter and the original photos."""
    files = {f"收入证明/IMG_{i}.jpg": photo(70 + i) for i in range(3)}
    files["支出明细/账单.pdf"] = scanned_pdf(2)
    files["疾病证明/d.jpg"] = photo(73)
    case = case_factory(files=files)
    outcome = _build(case, tmp_path / "out", profiles=("mail",))
    assert outcome.out_dir is not None
    assert not (outcome.out_dir / "逾期还款协商-wang.pdf").exists()
    pdf = outcome.out_dir / "mail" / "逾期还款协商-wang-print.pdf"
    texts = _page_texts(pdf)
    cover = "".join(texts[0].split())
    for expected in (
        "逾期还款协商",
        "支付宝客户服务中心",
        "浙江省杭州市测试大道100号",
        "王测试",
        "北京市朝阳区测试路1号",
        "13800138000",
        "2026年11月28日",
        "逾期还款协商申请书（含附件清单）",
        "收入证明3份3页",
        "支出明细1份2页",
        "疾病证明1份1页",
    ):
        assert expected in cover, expected
    assert "138****8000" not in cover  # the applicant's own phone, in full for a call back
    label = "".join(texts[1].split())
    for expected in (
        "逾期还款协商",
        "浙江省杭州市测试大道100号",
        "支付宝客户服务中心",
        "北京市朝阳区测试路1号",
        "电话：13800138000",
    ):
        assert expected in label, expected
    assert "逾期还款协商申请书" in texts[2] and "第 1 页" in texts[2]
    letter_pages = outcome.manifest["sources"][0]["first_page"] - 1
    total = letter_pages + 6
    assert len(texts) == 2 + total
    assert f"共 {total} 页" in texts[-1]
    reader = PdfReader(pdf)
    first_photo = reader.pages[2 + letter_pages]
    (xobject,) = [x.get_object() for x in first_photo["/Resources"]["/XObject"].values()]
    assert xobject.get_data() == _photo(70, (1200, 1600))
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles[:3] == ["邮寄封面", "地址标签", "逾期还款协商申请书"]
    (mail,) = [o for o in outcome.outputs if o.profile == "mail"]
    assert mail.path == "mail/逾期还款协商-wang-print.pdf" and mail.pages == len(texts)
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_duplex_blank_pages(case_factory, tmp_path: Path) -> None:
    """This test ensures --duplex puts a blank page wherever a document would start on a back side."""
    files = {
        "收入证明/a.jpg": photo(80),
        "收入证明/statement.pdf": scanned_pdf(2),
        "支出明细/b.jpg": photo(81),
        "疾病证明/c.jpg": photo(82),
    }
    case = case_factory(files=files)
    outcome = _build(case, tmp_path / "out", profiles=("mail",), duplex=True)
    assert outcome.out_dir is not None
    reader = PdfReader(outcome.out_dir / "mail" / "逾期还款协商-wang-print.pdf")
    texts = [page.extract_text().strip() for page in reader.pages]
    blank = [i + 1 for i, text in enumerate(texts) if not text]
    sources = outcome.manifest["sources"]
    letter = sources[0]["first_page"] - 1
    starts = [1] + [s["first_page"] for s in sources]  # packet pages that start a document
    # Expected layout: cover, label, letter, then each document, each starting on an odd page.
    position, expected_blank, start_at = 0, [], {}
    for unit in [1, 1, letter, *[s["pages"] for s in sources]]:
        if position % 2 == 1:
            position += 1
            expected_blank.append(position)
        start_at[len(start_at)] = position + 1
        position += unit
    assert blank == expected_blank
    assert len(reader.pages) == position
    for index, packet_page in enumerate(starts):
        physical = start_at[index + 2]
        assert physical % 2 == 1
        assert f"第 {packet_page} 页" in texts[physical - 1]
    for number in blank:
        page = reader.pages[number - 1]
        assert not page.get("/Contents") and not page.get("/Resources", {}).get("/XObject")


def test_missing_addresses_block_only_the_mail_packet(case_factory, tmp_path: Path, capsys) -> None:
    """This test ensures missing addresses are error findings for the mail packet (exit 5), while
    the upload bundle is still written."""
    toml = GOOD_TOML.replace('address = "北京市朝阳区测试路 1 号"\n', "").replace(
        'mailing_address = "浙江省杭州市测试大道 100 号"\n', ""
    )
    case = case_factory(toml=toml, files={f"收入证明/{i}.jpg": photo(90 + i) for i in range(2)})
    (case / "支出明细").mkdir()
    (case / "支出明细" / "r.jpg").write_bytes(_photo(92, (1200, 1600)))
    (case / "疾病证明").mkdir()
    (case / "疾病证明" / "d.jpg").write_bytes(_photo(93, (1200, 1600)))
    with pytest.raises(SystemExit) as exit_info:
        main(
            ["build", str(case), "-o", str(tmp_path / "out"), "--profile", "upload,mail", "--json"]
        )
    assert exit_info.value.code == 5
    manifest = json.loads(capsys.readouterr().out)
    missing = [f for f in manifest["findings"] if f["code"] == "MISSING_MAIL_FIELD"]
    assert {f["severity"] for f in missing} == {"error"}
    assert any("account.mailing_address" in f["message"] for f in missing)
    assert any("applicant.address" in f["message"] for f in missing)
    out = tmp_path / "out" / "wang"
    assert (out / "逾期还款协商-wang.pdf").exists()
    assert not (out / "mail").exists()
    assert {o["profile"] for o in manifest["outputs"]} == {"upload", "report"}
    pages = PdfReader(upload_pdf(out)).pages
    assert all("草稿" not in page.extract_text() for page in pages), "the packet itself is complete"


def test_same_input_same_bytes(case_factory, tmp_path: Path) -> None:
    """This test ensures two builds of the same case give byte-identical files (PDFs, parts,
    images, mail packet, manifest)."""
    files = {f"收入证明/IMG_{i}.jpg": photo(100 + i) for i in range(4)}
    files["支出明细/r.jpg"] = photo(104)
    files["疾病证明/d.jpg"] = photo(105)
    case = case_factory(files=files)
    runs = []
    for n in (1, 2):
        outcome = _build(
            case, tmp_path / f"out{n}", profiles=("upload", "mail"), max_mb=0.4, duplex=True
        )
        assert outcome.out_dir is not None
        runs.append(
            {
                p.relative_to(outcome.out_dir).as_posix(): p.read_bytes()
                for p in sorted(outcome.out_dir.rglob("*"))
                if p.is_file()
            }
        )
    assert runs[0].keys() == runs[1].keys()
    assert any("part1-of-" in name for name in runs[0])
    for name in runs[0]:
        assert runs[0][name] == runs[1][name], name
    reader = PdfReader(io.BytesIO(runs[0]["mail/逾期还款协商-wang-print.pdf"]))
    assert reader.trailer["/ID"][0] == reader.trailer["/ID"][1]
    assert reader.metadata is not None and str(reader.metadata["/CreationDate"]).startswith(
        "D:20261128"
    )


def test_cli_flags_and_manifest_outputs(case_factory, tmp_path: Path, capsys) -> None:
    """This test ensures --profile/--max-mb/--gray/--duplex reach the build and the manifest lists
    every file written with its profile; an unknown profile is a usage error (exit 2)."""
    files = {f"收入证明/IMG_{i}.jpg": photo(110 + i) for i in range(3)}
    files["支出明细/r.jpg"] = photo(113)
    files["疾病证明/d.jpg"] = photo(114)
    case = case_factory(files=files)
    out = tmp_path / "out"
    args = ["build", str(case), "-o", str(out), "--profile", "upload,mail", "--max-mb", "1.5"]
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--gray", "--duplex", "--json"])
    assert exit_info.value.code == 0
    manifest = json.loads(capsys.readouterr().out)
    on_disk = sorted(
        p.relative_to(out / "wang").as_posix()
        for p in (out / "wang").rglob("*")
        if p.is_file() and p.name != "manifest.json"
    )
    assert sorted(o["path"] for o in manifest["outputs"]) == on_disk
    profiles = {o["path"]: o["profile"] for o in manifest["outputs"]}
    assert profiles["mail/逾期还款协商-wang-print.pdf"] == "mail"
    assert profiles["逾期还款协商-wang.pdf"] == "upload"
    assert sum(p.startswith("images/") for p in profiles) == manifest["sources"][-1]["last_page"]
    pdf = upload_pdf(out / "wang")
    assert pdf.stat().st_size <= 1.5 * MB
    assert {i["color"] for i in _images_listed(pdf)} == {"gray"}
    with Image.open(out / "wang" / "images" / "逾期还款协商-wang-p001.jpg") as first:
        assert first.mode == "L"
    mail = out / "wang" / "mail" / "逾期还款协商-wang-print.pdf"
    assert {i["color"] for i in _images_listed(mail)} == {"rgb"}, "mail keeps the originals"
    assert not PdfReader(mail).pages[1].extract_text().strip(), "duplex blank after the cover"
    with pytest.raises(SystemExit) as exit_info:
        main([*args[:4], "--profile", "upload,fax"])
    assert exit_info.value.code == 2
