"""Photo evidence attached to complaints: check the upload, make a copy without metadata.

The uploaded bytes are kept unchanged as the original (sealed elsewhere); what staff see by
default and what may ever be published is `public`, a re-encoding of the pixels alone, so no
EXIF (GPS position, camera serial), XMP, ICC profile, comment or PNG text chunk survives.
Uploads are judged by their content only: the caller's file name and declared type are ignored.

Work and memory are bounded before any pixel is decoded: the byte size first, then the header
(width and height), per photo and for all the photos of one filing together. A JPEG is decoded
at a reduced scale (its DCT scaling, `Image.draft`) that still leaves the public size; PNG and
WebP have no such scaling and decode at full size, so their cap is lower.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from services.core.messages import N_, UserFacingError

MAX_FILE_BYTES = 10 * 1024 * 1024  # per file
MAX_FILES = 6  # per submission
PUBLIC_MAX_SIDE = 2048  # the stripped copy is downscaled to fit this
# Declared width*height of any photo: 48, 50 and 64 MP phone cameras at full resolution pass
# (8000x6000, 8192x6144, 9248x6936); a JPEG that large is decoded at 1/4, so this bounds the
# header, not the decode. Pillow's own DecompressionBombError (2x its 89.5 MP default) is kept.
MAX_PIXELS = 100_000_000
# Pixels actually decoded for one photo: twice the public side squared, about 16.8 MP (56 MB as
# RGB, 67 MB as RGBA). A JPEG's reduced-scale decode never exceeds it (the longer side stays
# under 2 * PUBLIC_MAX_SIDE); a PNG or WebP over it is refused: phones take photos as JPEG, and
# screenshots (about 5 MP) and 12-16 MP pictures fit.
MAX_DECODED_PIXELS = (2 * PUBLIC_MAX_SIDE) ** 2
# Pixels decoded for all the photos of one filing (they are decoded one at a time, so memory
# follows MAX_DECODED_PIXELS; this bounds the work): six 12 MP photos (4032x3024, 73 MP) or
# six 48 MP ones (decoded at 4000x3000, 72 MP) pass; five full-size 16 MP PNGs do not.
MAX_TOTAL_PIXELS = 80_000_000
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

JPEG_QUALITY = 85

FILE_TOO_LARGE = N_("The file is too large: at most {limit} MB per file.")
TOO_MANY_FILES = N_("Too many files: at most {limit}.")
FILE_EMPTY = N_("The file is empty.")
UNSUPPORTED = N_("The file is not a supported image (JPEG, PNG or WebP).")
TOO_MANY_PIXELS = N_("The image is too large to process (more than {limit} million pixels).")
DAMAGED = N_("The image is damaged and cannot be read.")
TOO_MANY_PIXELS_LOSSLESS = N_(
    "A PNG or WebP image can have at most {limit} million pixels. Send a larger photo as a JPEG."
)
TOO_MANY_PIXELS_TOGETHER = N_(
    "The photos together are too large to process (more than {limit} million pixels). "
    "Send fewer or smaller photos."
)

# Phones write multi-picture JPEGs (MPF), which Pillow reports as "MPO"; the file is a JPEG.
_FORMAT_ALIASES = {"MPO": "JPEG"}

# Pillow's decoders raise several exception types on hostile or broken input.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})
_HIGH_BIT_GREY_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})


class EvidenceRejected(UserFacingError):
    """An uploaded evidence file that cannot be accepted; the msgid says why."""


@dataclass(frozen=True)
class ProcessedImage:
    original: bytes  # the uploaded bytes, unchanged
    original_type: str  # MIME type of the format detected from the content
    public: bytes  # re-encoded copy without any metadata
    public_type: str  # "image/jpeg", or "image/png" for a PNG with transparency
    width: int  # of the public copy
    height: int
    sha256: str  # hex digest of the original bytes


def _megabytes(size: int) -> int:
    return size // (1024 * 1024)


def _check_size(size: int) -> None:
    # An empty upload is a client mistake, not an image to decode.
    if size <= 0:
        raise EvidenceRejected(FILE_EMPTY)
    # Bounds storage and the work a single upload can cost us.
    if size > MAX_FILE_BYTES:
        raise EvidenceRejected(FILE_TOO_LARGE, limit=_megabytes(MAX_FILE_BYTES))


def check_batch(sizes: list[int]) -> None:
    """Reject a submission by its file sizes alone, before anything is read or decoded."""
    # Bounds what one complaint can make us store and process.
    if len(sizes) > MAX_FILES:
        raise EvidenceRejected(TOO_MANY_FILES, limit=MAX_FILES)
    for size in sizes:
        _check_size(size)


def _millions(pixels: int) -> int:
    return pixels // 1_000_000


def _jpeg_scale(width: int, height: int) -> int:
    """The largest DCT scale (1/8, 1/4, 1/2) that keeps the longer side at PUBLIC_MAX_SIDE."""
    longer = max(width, height)
    return next((s for s in (8, 4, 2) if longer // s >= PUBLIC_MAX_SIDE), 1)


def _open(data: bytes) -> tuple[Image.Image, str]:
    """Read the header only; return the image, set up to decode at most MAX_DECODED_PIXELS.

    Nothing is decoded here (Image.open is lazy); the image's size is what `load` will decode.
    """
    try:
        # A local filter: Pillow's bomb warning (89.5 MP) is below MAX_PIXELS, which is the
        # guard here; its DecompressionBombError (twice that) still refuses the file.
        # (catch_warnings is not thread-safe; the MAX_PIXELS check below is the real guard.)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Only the allowed plugins ever parse the bytes: less hostile-input surface.
            img = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except Image.DecompressionBombError as exc:
        raise EvidenceRejected(TOO_MANY_PIXELS, limit=_millions(MAX_PIXELS)) from exc
    except UnidentifiedImageError as exc:
        # No allowed plugin recognised the content (text, HTML, GIF, PDF, …).
        raise EvidenceRejected(UNSUPPORTED) from exc
    except _DECODE_ERRORS as exc:
        # Recognised by its magic bytes but the header is broken.
        raise EvidenceRejected(DAMAGED) from exc
    try:
        fmt = _FORMAT_ALIASES.get(img.format or "", img.format or "")
        # Belt and braces: the content must be one of the formats we publish.
        if fmt not in ALLOWED_FORMATS:
            raise EvidenceRejected(UNSUPPORTED)
        width, height = img.size
        # Decompression bomb: a tiny file can declare huge dimensions; refuse before decoding.
        if width * height > MAX_PIXELS:
            raise EvidenceRejected(TOO_MANY_PIXELS, limit=_millions(MAX_PIXELS))
        # Animated WebP/APNG and multi-picture JPEGs: only the first frame is evidence we show.
        # (Before draft: seeking a multi-picture JPEG resets its decoder set-up.)
        img.seek(0)
        if fmt == "JPEG":
            scale = _jpeg_scale(width, height)
            # Header only: sets the decoder's scale and the size it will produce.
            img.draft(None, (max(1, width // scale), max(1, height // scale)))
        # Half the budget where decoding or publishing holds the frame twice more: Pillow's WebP
        # decoder (its canvas and a bytes copy), and a lossless image whose transparency is
        # converted to RGBA (grey+alpha, a palette, a transparency key: a second, 4-byte copy).
        heavy = fmt == "WEBP" or _converts_to_rgba(img)
        cap = MAX_DECODED_PIXELS // 2 if heavy else MAX_DECODED_PIXELS
        if img.width * img.height > cap:
            limit = _millions(cap)
            if fmt == "JPEG":  # only a JPEG the decoder cannot scale
                raise EvidenceRejected(TOO_MANY_PIXELS, limit=limit)
            raise EvidenceRejected(TOO_MANY_PIXELS_LOSSLESS, limit=limit)
    except EvidenceRejected:
        img.close()
        raise
    except _DECODE_ERRORS as exc:
        img.close()
        raise EvidenceRejected(DAMAGED) from exc
    return img, fmt


def _converts_to_rgba(img: Image.Image) -> bool:
    """Whether `_public_pixels` will convert this image to RGBA (read from the header only)."""
    return img.mode != "RGBA" and (img.mode in _ALPHA_MODES or "transparency" in img.info)


def _decoded_pixels(datas: list[bytes]) -> list[int]:
    """Each photo's decode cost, from its header alone; refuses any photo over its caps."""
    costs = []
    for data in datas:
        img, _fmt = _open(data)
        costs.append(img.width * img.height)
        img.close()
    return costs


def check_uploads(datas: list[bytes]) -> None:
    """All the checks that need no decoding: count and sizes, then each header, then the total.

    What a filing validates before anything is stored; `process_images` repeats it.
    """
    check_batch([len(data) for data in datas])  # before any byte is parsed
    if sum(_decoded_pixels(datas)) > MAX_TOTAL_PIXELS:
        raise EvidenceRejected(TOO_MANY_PIXELS_TOGETHER, limit=_millions(MAX_TOTAL_PIXELS))


def process_images(datas: list[bytes]) -> list[ProcessedImage]:
    """The photos of one filing: all checked first, then decoded one at a time."""
    check_uploads(datas)
    return [process_image(data) for data in datas]


def _public_pixels(img: Image.Image, fmt: str) -> tuple[Image.Image, str]:
    """Convert to a mode we publish; return the image (maybe `img` itself) and its format.

    At decoded size, so no full-size copy is made that the conversion does not need.
    """
    has_alpha = img.mode in _ALPHA_MODES or "transparency" in img.info
    if has_alpha:
        rgba = img if img.mode == "RGBA" else img.convert("RGBA")
        # Only a PNG that really uses transparency stays PNG; the rest is a photo, so JPEG.
        # (getextrema per band: no copy of the alpha channel just to read its minimum.)
        if fmt == "PNG" and rgba.getextrema()[3][0] < 255:
            return rgba, "PNG"
        # JPEG has no alpha: flatten onto white rather than onto whatever the hidden RGB holds.
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba)  # an RGBA mask is its alpha band
        return flat, "JPEG"
    if img.mode in _HIGH_BIT_GREY_MODES:
        # 16-bit grey scaled to 8 bits; a plain convert would clip everything above 255 to white.
        return img.convert("I").point(lambda v: v / 256).convert("L"), "JPEG"
    if img.mode == "1":
        return img.convert("L"), "JPEG"
    if img.mode in ("L", "RGB"):
        return img, "JPEG"
    # CMYK, YCbCr, P without transparency, …: JPEG viewers expect RGB.
    return img.convert("RGB"), "JPEG"


def _fitted(img: Image.Image) -> Image.Image:
    """No side over PUBLIC_MAX_SIDE, aspect ratio kept, never upscaled (may be `img` itself)."""
    width, height = img.size
    if max(width, height) <= PUBLIC_MAX_SIDE:
        return img
    ratio = PUBLIC_MAX_SIDE / max(width, height)
    size = (max(1, min(PUBLIC_MAX_SIDE, round(width * ratio))),
            max(1, min(PUBLIC_MAX_SIDE, round(height * ratio))))  # fmt: skip
    # reducing_gap: an integer box reduction first, then Lanczos; the same as Image.thumbnail.
    return img.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _strip(img: Image.Image) -> Image.Image:
    """A new image holding the pixels only: nothing from `info` (EXIF, ICC, XMP, text) follows."""
    clean = Image.new(img.mode, img.size)
    clean.paste(img, (0, 0))
    return clean


def process_image(data: bytes) -> ProcessedImage:
    """Check one upload by its content; keep it as the original and make the public copy."""
    original = bytes(data)
    # Size first: cheap, and nothing oversized is ever handed to a decoder.
    _check_size(len(original))
    img, fmt = _open(original)  # header checks; img.size is what will be decoded
    try:
        # Decode fully now so truncated or corrupt data fails here, not while saving.
        img.load()
        # Read before the tag is gone with the rest of EXIF (ImageOps.exif_transpose reads the
        # same tag, XMP included); applied to the small copy, which is cheaper than in place.
        transpose = _TRANSPOSE.get(img.getexif().get(_ORIENTATION, 1))
        pixels, public_format = _public_pixels(img, fmt)
        small = _fitted(pixels)
        if transpose is not None:
            small = small.transpose(transpose)
        public_img = _strip(small)
    except _DECODE_ERRORS as exc:
        raise EvidenceRejected(DAMAGED) from exc
    finally:
        img.close()
    out = io.BytesIO()
    if public_format == "PNG":
        # No pnginfo: no text chunks are written.
        public_img.save(out, "PNG", optimize=True)
    else:
        # No exif/icc_profile/comment/xmp arguments: the JPEG carries pixels only.
        public_img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ProcessedImage(
        original=original,
        original_type=ALLOWED_FORMATS[fmt],
        public=out.getvalue(),
        public_type=ALLOWED_FORMATS[public_format],
        width=public_img.width,
        height=public_img.height,
        sha256=hashlib.sha256(original).hexdigest(),
    )
