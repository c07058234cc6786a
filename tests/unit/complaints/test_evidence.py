"""Photo evidence: uploads are judged by content, and the public copy carries no metadata."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import random
import struct
import warnings
import zlib

import pytest
from PIL import Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from services.shared.sealed import evidence
from services.shared.sealed.evidence import (
    ALLOWED_FORMATS,
    MAX_FILE_BYTES,
    MAX_FILES,
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
}


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
    # 48 Mpx: over MAX_PIXELS but under Pillow's own default warning threshold.
    data = encode(Image.new("1", (8000, 6000)), "PNG")
    assert len(data) < 100_000

    error = rejection(data)
    assert error.msgid == evidence.TOO_MANY_PIXELS
    assert error.params == {"limit": 40}


@pytest.mark.parametrize(
    "size",
    [(10_000, 10_000), (20_000, 20_000), (200_000, 200_000)],
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
    assert len(ALL_MSGIDS) == 6


def test_rejections_carry_module_msgids_that_format_with_their_params():
    errors = [
        rejection(b""),
        rejection(b"\0" * (MAX_FILE_BYTES + 1)),
        rejection(b"<script>alert(1)</script>"),
        rejection(png_header_only(20_000, 20_000)),
        rejection(encode(noise((256, 256)), "JPEG")[:2000]),
    ]
    with pytest.raises(EvidenceRejected) as caught:
        check_batch([1] * 7)
    errors.append(caught.value)

    assert {error.msgid for error in errors} == ALL_MSGIDS
    for error in errors:
        text = error.msgid.format(**error.params)  # the portal fills str.format placeholders
        assert "{" not in text
        assert all(isinstance(value, int) for value in error.params.values())


def test_allowed_formats_are_the_three_published_types():
    assert ALLOWED_FORMATS == {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
