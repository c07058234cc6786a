"""Photo evidence: uploads are judged by content, and the public copy carries no metadata."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import random
import struct
import subprocess
import sys
import textwrap
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from services.shared.sealed import evidence
from services.shared.sealed.evidence import (
    ALLOWED_FORMATS,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_PIXELS,
    PUBLIC_MAX_SIDE,
    EvidenceRejected,
    ProcessedImage,
    check_batch,
    process_image,
)

GPS_CANARY = b"CANARY-GPS-31415"
SERIAL_CANARY = b"CANARY-SERIAL-2718"
ICC_CANARY = b"CANARY-ICC-1618"
COMMENT_CANARY = b"CANARY-COMMENT-1414"
XMP_CANARY = b"CANARY-XMP-1732"
TEXT_CANARY = "CANARY-PNG-TEXT-2236"

METADATA_KEYS = ("exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp", "dpi")

ALL_MSGIDS = {
    evidence.FILE_TOO_LARGE,
    evidence.TOO_MANY_FILES,
    evidence.FILE_EMPTY,
    evidence.UNSUPPORTED,
    evidence.TOO_MANY_PIXELS,
    evidence.DAMAGED,
    evidence.TOO_MANY_PIXELS_LOSSLESS,
    evidence.TOO_MANY_PIXELS_TOGETHER,
}

ROOT = Path(__file__).resolve().parents[3]
PHONE_48MP = (8000, 6000)  # a 48 MP phone camera's full-resolution photo
BIG_39_7MP = (7280, 5456)  # the size of the PNGs that took a server from 240 to 588 MB


# --- helpers -------------------------------------------------------------------------------------


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def noise(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """Incompressible pixels, so the encoded data dwarfs the header."""
    width, height = size
    return Image.frombytes("RGB", size, random.Random(seed).randbytes(width * height * 3))


def halves(size: tuple[int, int], left: str = "red", right: str = "blue") -> Image.Image:
    img = Image.new("RGB", size, right)
    img.paste(left, (0, 0, size[0] // 2, size[1]))
    return img


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010E] = GPS_CANARY.decode()  # ImageDescription
    exif[0x010F] = "ACME"  # Make
    exif.get_ifd(0x8825).update(  # GPSInfo
        {1: "N", 2: (26.0, 34.0, 12.5), 3: "E", 4: (106.0, 42.0, 48.0)}
    )
    exif.get_ifd(0x8769)[0xA431] = SERIAL_CANARY.decode()  # BodySerialNumber
    return exif


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares huge dimensions and holds (almost) no data: the bomb's shape."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + payload))
        return struct.pack(">I", len(payload)) + kind + payload + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def rejection(data: bytes) -> EvidenceRejected:
    with pytest.raises(EvidenceRejected) as caught:
        process_image(data)
    return caught.value


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def assert_no_metadata(public: bytes) -> None:
    img = opened(public)
    assert dict(img.getexif()) == {}
    for key in METADATA_KEYS:
        assert key not in img.info, key
    assert not getattr(img, "text", {})


def is_red(pixel: tuple[int, ...]) -> bool:
    r, g, b = pixel[:3]
    return r > 200 and g < 60 and b < 60


def is_blue(pixel: tuple[int, ...]) -> bool:
    r, g, b = pixel[:3]
    return b > 200 and r < 60 and g < 60


# --- metadata is stripped ------------------------------------------------------------------------


@pytest.fixture
def tagged_jpeg() -> bytes:
    data = encode(
        noise((320, 240)),
        "JPEG",
        exif=gps_exif(),
        icc_profile=ICC_CANARY * 8,
        comment=COMMENT_CANARY,
        xmp=b"<x:xmpmeta>" + XMP_CANARY + b"</x:xmpmeta>",
        dpi=(300, 300),
    )
    # The fixture really carries what the public copy must lose.
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(0x8825)[2] == (26.0, 34.0, 12.5)
    assert source.getexif().get_ifd(0x8769)[0xA431] == SERIAL_CANARY.decode()
    for canary in (GPS_CANARY, SERIAL_CANARY, ICC_CANARY, COMMENT_CANARY, XMP_CANARY):
        assert canary in data
    return data


def test_jpeg_public_copy_has_no_gps_serial_or_other_metadata(tagged_jpeg):
    result = process_image(tagged_jpeg)

    for canary in (GPS_CANARY, SERIAL_CANARY, ICC_CANARY, COMMENT_CANARY, XMP_CANARY):
        assert canary not in result.public
    assert b"Exif\x00\x00" not in result.public
    assert b"ICC_PROFILE" not in result.public
    assert b"http://ns.adobe.com/xap/1.0/" not in result.public
    assert_no_metadata(result.public)
    public = opened(result.public)
    assert public.format == "JPEG"
    assert public.getexif().get_ifd(0x8825) == {}


def test_original_is_kept_byte_for_byte(tagged_jpeg):
    result = process_image(tagged_jpeg)

    assert result.original == tagged_jpeg
    assert GPS_CANARY in result.original
    assert SERIAL_CANARY in result.original
    assert result.original_type == "image/jpeg"
    assert result.sha256 == hashlib.sha256(tagged_jpeg).hexdigest()


def test_result_describes_the_public_copy(tagged_jpeg):
    result = process_image(tagged_jpeg)

    assert isinstance(result, ProcessedImage)
    assert result.public_type == "image/jpeg"
    assert (result.width, result.height) == opened(result.public).size == (320, 240)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.public = b""  # type: ignore[misc]


def test_exif_orientation_is_applied_before_the_tag_is_dropped():
    raw = halves((40, 20))  # red left half, blue right half
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    result = process_image(encode(raw, "JPEG", exif=exif, quality=95))

    public = opened(result.public)
    assert (result.width, result.height) == public.size == (20, 40)
    # Turned clockwise, the left half of the raw pixels is now on top.
    assert is_red(public.getpixel((10, 5)))
    assert is_blue(public.getpixel((10, 35)))
    assert 0x0112 not in public.getexif()


def test_png_text_chunks_icc_and_exif_are_stripped():
    info = PngInfo()
    info.add_text("Comment", TEXT_CANARY)
    info.add_text("Location", TEXT_CANARY, zip=True)  # zTXt
    info.add_itxt("Description", TEXT_CANARY, lang="en")
    data = encode(
        Image.new("RGB", (64, 48), "green"),
        "PNG",
        pnginfo=info,
        icc_profile=ICC_CANARY * 8,
        exif=gps_exif(),
    )
    source = Image.open(io.BytesIO(data))
    source.load()
    assert source.text["Comment"] == TEXT_CANARY
    assert "icc_profile" in source.info
    assert GPS_CANARY in data

    result = process_image(data)

    assert TEXT_CANARY.encode() not in result.public
    assert GPS_CANARY not in result.public
    assert_no_metadata(result.public)
    assert result.original == data
    assert result.original_type == "image/png"


def test_png_without_alpha_becomes_jpeg():
    result = process_image(encode(Image.new("RGB", (64, 48), "green"), "PNG"))

    assert result.original_type == "image/png"
    assert result.public_type == "image/jpeg"
    assert opened(result.public).format == "JPEG"


def test_png_with_transparency_stays_png_rgba():
    img = Image.new("RGBA", (64, 48), (255, 0, 0, 255))
    img.paste((0, 0, 0, 0), (0, 0, 32, 48))
    info = PngInfo()
    info.add_text("Comment", TEXT_CANARY)
    result = process_image(encode(img, "PNG", pnginfo=info))

    public = opened(result.public)
    assert result.public_type == "image/png"
    assert public.format == "PNG"
    assert public.mode == "RGBA"
    assert public.getpixel((5, 5))[3] == 0
    assert public.getpixel((50, 5)) == (255, 0, 0, 255)
    assert TEXT_CANARY.encode() not in result.public
    assert_no_metadata(result.public)


def test_palette_png_with_transparent_index_stays_png_rgba():
    img = Image.new("P", (16, 16), 1)
    img.putpalette([0, 0, 0, 255, 0, 0])
    img.paste(0, (0, 0, 8, 16))
    result = process_image(encode(img, "PNG", transparency=0))

    public = opened(result.public)
    assert result.public_type == "image/png"
    assert public.mode == "RGBA"
    assert public.getpixel((2, 2))[3] == 0
    assert public.getpixel((12, 2)) == (255, 0, 0, 255)


def test_png_with_an_opaque_alpha_channel_becomes_jpeg():
    result = process_image(encode(Image.new("RGBA", (32, 32), (0, 0, 255, 255)), "PNG"))

    assert result.public_type == "image/jpeg"
    assert is_blue(opened(result.public).getpixel((16, 16)))


def test_sixteen_bit_grey_png_is_scaled_not_clipped():
    img = Image.new("I;16", (8, 8), 32768)  # mid grey in 16 bits
    result = process_image(encode(img, "PNG"))

    public = opened(result.public)
    assert result.public_type == "image/jpeg"
    assert 120 <= public.convert("L").getpixel((4, 4)) <= 136


def test_cmyk_jpeg_is_published_as_rgb():
    result = process_image(encode(Image.new("CMYK", (32, 32), (0, 255, 255, 0)), "JPEG"))

    public = opened(result.public)
    assert public.mode == "RGB"
    assert is_red(public.getpixel((16, 16)))


def test_webp_is_accepted_and_its_metadata_stripped():
    data = encode(
        Image.new("RGB", (64, 48), "red"),
        "WEBP",
        exif=gps_exif().tobytes(),
        xmp=b"<x:xmpmeta>" + XMP_CANARY + b"</x:xmpmeta>",
    )
    assert GPS_CANARY in data
    assert XMP_CANARY in data

    result = process_image(data)

    assert result.original_type == "image/webp"
    assert result.public_type == "image/jpeg"
    assert GPS_CANARY not in result.public
    assert XMP_CANARY not in result.public
    assert_no_metadata(result.public)
    assert is_red(opened(result.public).getpixel((32, 24)))


def test_transparent_webp_is_flattened_onto_white():
    img = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    result = process_image(encode(img, "WEBP", lossless=True))

    assert result.public_type == "image/jpeg"
    assert opened(result.public).getpixel((16, 16)) == pytest.approx((255, 255, 255), abs=3)


def test_animated_webp_keeps_only_the_first_frame():
    first, second = Image.new("RGB", (32, 32), "red"), Image.new("RGB", (32, 32), "blue")
    data = encode(first, "WEBP", save_all=True, append_images=[second], lossless=True)
    assert Image.open(io.BytesIO(data)).n_frames == 2

    result = process_image(data)

    public = opened(result.public)
    assert getattr(public, "n_frames", 1) == 1
    assert is_red(public.getpixel((16, 16)))


def test_multi_picture_jpeg_from_a_phone_is_a_jpeg():
    first, second = Image.new("RGB", (32, 32), "red"), Image.new("RGB", (32, 32), "blue")
    data = encode(first, "MPO", save_all=True, append_images=[second], exif=gps_exif())
    assert Image.open(io.BytesIO(data)).format == "MPO"

    result = process_image(data)

    assert result.original_type == "image/jpeg"
    assert GPS_CANARY not in result.public
    assert is_red(opened(result.public).getpixel((16, 16)))


# --- downscaling ---------------------------------------------------------------------------------


def test_large_photo_is_downscaled_to_fit_the_public_size():
    result = process_image(encode(Image.new("RGB", (4000, 3000), "green"), "JPEG"))

    assert max(result.width, result.height) <= PUBLIC_MAX_SIDE
    assert (result.width, result.height) == (2048, 1536)
    assert opened(result.public).size == (2048, 1536)


def test_small_photo_is_not_upscaled():
    result = process_image(encode(Image.new("RGB", (100, 50), "green"), "JPEG"))

    assert (result.width, result.height) == (100, 50)


# --- rejections ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "ICO", "PPM"])
def test_other_image_formats_are_unsupported(fmt):
    data = encode(Image.new("RGB", (32, 32), "red"), fmt)
    assert Image.open(io.BytesIO(data)).format == fmt  # a real, valid image

    assert rejection(data).msgid == evidence.UNSUPPORTED


@pytest.mark.parametrize(
    "data",
    [
        b"<script>alert(1)</script>",
        b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        "投诉：工厂夜间排放黑烟".encode(),
        b"\x00" * 64,
    ],
    ids=["script", "html", "svg", "pdf", "text", "zeros"],
)
def test_non_images_are_unsupported(data):
    assert rejection(data).msgid == evidence.UNSUPPORTED


def test_truncated_jpeg_is_damaged():
    data = encode(noise((256, 256)), "JPEG", quality=95)

    assert rejection(data[: len(data) // 2]).msgid == evidence.DAMAGED


def test_truncated_png_is_damaged():
    data = encode(noise((128, 128)), "PNG")

    assert rejection(data[: len(data) // 2]).msgid == evidence.DAMAGED


def test_empty_file_is_rejected():
    assert rejection(b"").msgid == evidence.FILE_EMPTY


def test_oversized_file_is_rejected_before_decoding(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_FILE_BYTES", 1000)
    valid = encode(noise((64, 64)), "PNG")
    assert len(valid) > 1000

    error = rejection(valid)
    assert error.msgid == evidence.FILE_TOO_LARGE
    # Not an image at all, yet the size is what is reported: no decoder was consulted.
    assert rejection(b"<html>" * 200).msgid == evidence.FILE_TOO_LARGE


def test_file_at_the_real_limit_is_rejected_by_size():
    error = rejection(b"\0" * (MAX_FILE_BYTES + 1))

    assert error.msgid == evidence.FILE_TOO_LARGE
    assert error.params == {"limit": 10}


def test_bomb_within_pillows_limit_is_caught_by_ours():
    # 48 Mpx of PNG: under Pillow's own warning threshold, yet a PNG decodes at full size.
    data = encode(Image.new("1", (8000, 6000)), "PNG")
    assert len(data) < 100_000

    error = rejection(data)
    assert error.msgid == evidence.TOO_MANY_PIXELS_LOSSLESS
    assert error.params == {"limit": 16}


def test_declared_size_over_the_cap_is_too_many_pixels_whatever_the_format():
    data = encode(Image.new("L", (11_000, 9_200)), "JPEG")  # 101.2 Mpx, a 108 MP sensor's shape

    error = rejection(data)
    assert error.msgid == evidence.TOO_MANY_PIXELS
    assert error.params == {"limit": 100}


@pytest.mark.parametrize(
    "size",
    [(10_500, 10_000), (20_000, 20_000), (200_000, 200_000)],
    ids=["pillow-warns", "pillow-errors", "huge"],
)
def test_declared_huge_dimensions_are_too_many_pixels(size):
    filters_before = list(warnings.filters)
    limit_before = Image.MAX_IMAGE_PIXELS

    error = rejection(png_header_only(*size))

    assert error.msgid == evidence.TOO_MANY_PIXELS
    # The guard is local: Pillow's global limit and the warning filters are untouched.
    assert limit_before == Image.MAX_IMAGE_PIXELS
    assert list(warnings.filters) == filters_before


def test_pixel_limit_is_checked_before_any_decoding(monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels were decoded before the size was checked")

    monkeypatch.setattr(evidence, "MAX_PIXELS", 100)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)

    assert rejection(encode(Image.new("RGB", (20, 20)), "PNG")).msgid == evidence.TOO_MANY_PIXELS


# --- check_batch ---------------------------------------------------------------------------------


def test_batch_of_six_small_files_is_accepted():
    check_batch([1024] * MAX_FILES)
    check_batch([MAX_FILE_BYTES])
    check_batch([])


def test_batch_of_seven_files_is_rejected():
    with pytest.raises(EvidenceRejected) as caught:
        check_batch([1024] * (MAX_FILES + 1))

    assert caught.value.msgid == evidence.TOO_MANY_FILES
    assert caught.value.params == {"limit": 6}


def test_batch_with_an_oversized_file_is_rejected():
    with pytest.raises(EvidenceRejected) as caught:
        check_batch([1024, MAX_FILE_BYTES + 1, 2048])

    assert caught.value.msgid == evidence.FILE_TOO_LARGE
    assert caught.value.params == {"limit": 10}


def test_batch_with_an_empty_file_is_rejected():
    with pytest.raises(EvidenceRejected) as caught:
        check_batch([1024, 0])

    assert caught.value.msgid == evidence.FILE_EMPTY


# --- messages ------------------------------------------------------------------------------------


def test_each_rejection_has_its_own_msgid():
    assert len(ALL_MSGIDS) == 8


def test_rejections_carry_module_msgids_that_format_with_their_params():
    errors = [
        rejection(b""),
        rejection(b"\0" * (MAX_FILE_BYTES + 1)),
        rejection(b"<script>alert(1)</script>"),
        rejection(png_header_only(20_000, 20_000)),
        rejection(encode(noise((256, 256)), "JPEG")[:2000]),
        rejection(png_header_only(5000, 5000)),
    ]
    with pytest.raises(EvidenceRejected) as caught:
        check_batch([1] * 7)
    errors.append(caught.value)
    with pytest.raises(EvidenceRejected) as caught:
        evidence.check_uploads([encode(Image.new("1", (4000, 4000)), "PNG")] * 6)
    errors.append(caught.value)

    assert {error.msgid for error in errors} == ALL_MSGIDS
    for error in errors:
        text = error.msgid.format(**error.params)  # the portal fills str.format placeholders
        assert "{" not in text
        assert all(isinstance(value, int) for value in error.params.values())


def test_allowed_formats_are_the_three_published_types():
    assert ALLOWED_FORMATS == {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


# --- pixel caps: a phone photo passes, big images never reach a decoder -------------------------


@pytest.fixture
def decoded_sizes(monkeypatch) -> list[tuple[int, int]]:
    """The size of every image whose pixels are decoded (Image.open alone reads the header)."""
    sizes: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def spy(self):
        sizes.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return sizes


@pytest.fixture
def no_decoding(monkeypatch) -> None:
    def refuse(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.fixture(scope="module")
def phone_jpeg() -> bytes:
    return encode(halves(PHONE_48MP), "JPEG", quality=80)


@pytest.fixture(scope="module")
def big_png() -> bytes:
    data = encode(halves(BIG_39_7MP, "green", "white"), "PNG")
    assert len(data) < MAX_FILE_BYTES  # small on the wire, 119 MB once decoded
    return data


def test_the_caps_let_every_phone_photo_through_and_bound_the_work():
    assert MAX_PIXELS >= 9248 * 6936  # 48, 50 and 64 MP phone cameras at full resolution
    assert evidence.MAX_DECODED_PIXELS == (2 * PUBLIC_MAX_SIDE) ** 2
    # Six photos from a 48 MP or a 12 MP phone fit the total of one filing.
    assert evidence.MAX_TOTAL_PIXELS >= 6 * 4000 * 3000
    assert evidence.MAX_TOTAL_PIXELS >= 6 * 4032 * 3024
    assert evidence.MAX_TOTAL_PIXELS < MAX_FILES * evidence.MAX_DECODED_PIXELS


def test_a_48_megapixel_phone_photo_is_accepted_and_decoded_at_a_reduced_scale(
    phone_jpeg, decoded_sizes
):
    result = process_image(phone_jpeg)
    decoded = list(decoded_sizes)

    assert (result.width, result.height) == (2048, 1536)
    public = opened(result.public)
    assert is_red(public.getpixel((10, 768))) and is_blue(public.getpixel((2037, 768)))
    # JPEG's DCT scaling decodes at 1/2: a quarter of the pixels, still over the public size.
    assert decoded and set(decoded) == {(4000, 3000)}


def test_six_phone_photos_pass_the_filing_checks_without_decoding(phone_jpeg, no_decoding):
    evidence.check_uploads([phone_jpeg] * MAX_FILES)


def test_a_39_7_megapixel_png_is_refused_before_any_decoding(big_png, no_decoding):
    for _ in range(MAX_FILES):
        error = rejection(big_png)
        assert error.msgid == evidence.TOO_MANY_PIXELS_LOSSLESS
        assert error.params == {"limit": 16}
    with pytest.raises(EvidenceRejected) as caught:
        evidence.check_uploads([big_png] * MAX_FILES)
    assert caught.value.msgid == evidence.TOO_MANY_PIXELS_LOSSLESS


def test_the_pixels_of_one_filing_are_capped_together_before_any_decoding(no_decoding):
    each = encode(Image.new("RGB", (4000, 3800), "green"), "PNG")  # 15.2 Mpx, allowed alone
    evidence.check_uploads([each] * 5)

    for check in (evidence.check_uploads, evidence.process_images):
        with pytest.raises(EvidenceRejected) as caught:
            check([each] * 6)  # 91.2 Mpx
        assert caught.value.msgid == evidence.TOO_MANY_PIXELS_TOGETHER
        assert caught.value.params == {"limit": 80}


def test_sizes_are_checked_before_any_header_is_read(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("a header was parsed")

    monkeypatch.setattr(Image, "open", no_parsing)
    with pytest.raises(EvidenceRejected) as caught:
        evidence.check_uploads([b"\xff\xd8" + b"\0" * MAX_FILE_BYTES])
    assert caught.value.msgid == evidence.FILE_TOO_LARGE


def test_process_images_keeps_the_order_and_makes_each_public_copy():
    red, blue = (encode(Image.new("RGB", (40, 30), c), "PNG") for c in ("red", "blue"))

    results = evidence.process_images([red, blue])

    assert [r.original for r in results] == [red, blue]
    assert is_red(opened(results[0].public).getpixel((5, 5)))
    assert is_blue(opened(results[1].public).getpixel((5, 5)))


PEAK_MEMORY_MB = 200  # stated bound on what processing a filing's photos adds to the process

_MEASURE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from services.shared.sealed import evidence

    def status_mb(field):
        # VmHWM is this process's own peak (getrusage's ru_maxrss also counts the parent's,
        # from before the exec).
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
        raise LookupError(field)

    datas = [Path(p).read_bytes() for p in sys.argv[1:]]
    before = status_mb("VmRSS")
    accepted = 0
    for data in datas:
        try:
            evidence.process_image(data)
            accepted += 1
        except evidence.EvidenceRejected:
            pass
    print(accepted, status_mb("VmHWM") - before)
    """
)


def _peak_growth_mb(tmp_path, datas: list[bytes]) -> tuple[int, int]:
    paths = []
    for n, data in enumerate(datas):
        path = tmp_path / f"photo{n}"
        path.write_bytes(data)
        paths.append(str(path))
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *paths],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    accepted, growth = map(int, done.stdout.split())
    return accepted, growth


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_six_39_7_megapixel_images_keep_peak_memory_bounded(tmp_path, big_png):
    photo = encode(halves(BIG_39_7MP), "JPEG", quality=80)

    accepted, growth = _peak_growth_mb(tmp_path, [big_png] * 6 + [photo] * 6)

    assert growth < PEAK_MEMORY_MB, f"peak memory grew by {growth} MB"
    assert accepted == 6  # the JPEGs, decoded at 1/2 scale; the PNGs are refused unread


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_the_largest_accepted_webp_keeps_peak_memory_bounded(tmp_path):
    side = int((evidence.MAX_DECODED_PIXELS // 2) ** 0.5)  # decoded at full size, half-transparent
    data = encode(Image.new("RGBA", (side, side), (0, 128, 0, 128)), "WEBP", lossless=True)
    too_big = encode(Image.new("RGB", (side + 8, side + 8)), "WEBP")
    assert rejection(too_big).msgid == evidence.TOO_MANY_PIXELS_LOSSLESS

    accepted, growth = _peak_growth_mb(tmp_path, [data] * 2)

    assert accepted == 2
    assert growth < PEAK_MEMORY_MB, f"peak memory grew by {growth} MB"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_the_largest_accepted_png_keeps_peak_memory_bounded(tmp_path):
    side = 2 * PUBLIC_MAX_SIDE  # at MAX_DECODED_PIXELS, with transparency: the costliest mode
    img = Image.new("RGBA", (side, side), (0, 128, 0, 255))
    img.paste((0, 0, 0, 0), (0, 0, 64, 64))
    data = encode(img, "PNG")

    accepted, growth = _peak_growth_mb(tmp_path, [data] * 4)

    assert accepted == 4
    assert growth < PEAK_MEMORY_MB, f"peak memory grew by {growth} MB"


def _png_with_alpha(mode: str, side: int) -> bytes:
    """A PNG at `side`² with transparency used, in a mode that converts to RGBA."""
    if mode == "LA":
        img = Image.new("LA", (side, side), (90, 255))
        img.paste((0, 0), (0, 0, 64, 64))
        return encode(img, "PNG")
    base = Image.new(mode, (side, side), 90 if mode in ("L", "P") else (0, 128, 0))
    # a transparency key: palette index / grey level / colour that is transparent
    key = 90 if mode in ("L", "P") else (0, 128, 0)
    return encode(base, "PNG", transparency=key)


@pytest.mark.parametrize("mode", ["LA", "P", "L", "RGB"])
def test_a_lossless_photo_that_converts_to_rgba_gets_half_the_decode_budget(mode):
    # Converting grey+alpha, a palette or a transparency key to RGBA holds a second, 4-byte copy
    # of every pixel; at the full budget that took the process past the memory bound.
    side = 2 * PUBLIC_MAX_SIDE
    assert rejection(_png_with_alpha(mode, side)).msgid == evidence.TOO_MANY_PIXELS_LOSSLESS
    half = int((evidence.MAX_DECODED_PIXELS // 2) ** 0.5)
    assert evidence.process_image(_png_with_alpha(mode, half)).public


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
@pytest.mark.parametrize("mode", ["LA", "P", "RGB"])
def test_the_largest_accepted_png_with_a_converted_alpha_keeps_peak_memory_bounded(
    tmp_path, mode
):
    half = int((evidence.MAX_DECODED_PIXELS // 2) ** 0.5)

    accepted, growth = _peak_growth_mb(tmp_path, [_png_with_alpha(mode, half)] * 3)

    assert accepted == 3
    assert growth < PEAK_MEMORY_MB, f"peak memory grew by {growth} MB"
