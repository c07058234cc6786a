"""Photo evidence attached to complaints: check the upload, make a copy without metadata.

The uploaded bytes are kept unchanged as the original (sealed elsewhere); what staff see by
default and what may ever be published is `public`, a re-encoding of the pixels alone, so no
EXIF (GPS position, camera serial), XMP, ICC profile, comment or PNG text chunk survives.
Uploads are judged by their content only: the caller's file name and declared type are ignored.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from services.core.messages import N_, UserFacingError

MAX_FILE_BYTES = 10 * 1024 * 1024  # per file
MAX_FILES = 6  # per submission
MAX_PIXELS = 40_000_000  # decompression-bomb guard (width*height)
PUBLIC_MAX_SIDE = 2048  # the stripped copy is downscaled to fit this
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

JPEG_QUALITY = 85

FILE_TOO_LARGE = N_("The file is too large: at most {limit} MB per file.")
TOO_MANY_FILES = N_("Too many files: at most {limit}.")
FILE_EMPTY = N_("The file is empty.")
UNSUPPORTED = N_("The file is not a supported image (JPEG, PNG or WebP).")
TOO_MANY_PIXELS = N_("The image is too large to process (more than {limit} million pixels).")
DAMAGED = N_("The image is damaged and cannot be read.")

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


def _open(data: bytes) -> tuple[Image.Image, str]:
    """Read the header only; return the image and its format from ALLOWED_FORMATS."""
    try:
        # A local filter: Pillow's own bomb warning becomes an error here, globals untouched.
        # (catch_warnings is not thread-safe; the MAX_PIXELS check below is the real guard.)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the allowed plugins ever parse the bytes: less hostile-input surface.
            img = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise EvidenceRejected(TOO_MANY_PIXELS, limit=MAX_PIXELS // 1_000_000) from exc
    except UnidentifiedImageError as exc:
        # No allowed plugin recognised the content (text, HTML, GIF, PDF, …).
        raise EvidenceRejected(UNSUPPORTED) from exc
    except _DECODE_ERRORS as exc:
        # Recognised by its magic bytes but the header is broken.
        raise EvidenceRejected(DAMAGED) from exc
    fmt = _FORMAT_ALIASES.get(img.format or "", img.format or "")
    # Belt and braces: the content must be one of the formats we publish.
    if fmt not in ALLOWED_FORMATS:
        img.close()
        raise EvidenceRejected(UNSUPPORTED)
    width, height = img.size
    # Decompression bomb: a tiny file can declare huge dimensions; refuse before decoding.
    if width * height > MAX_PIXELS:
        img.close()
        raise EvidenceRejected(TOO_MANY_PIXELS, limit=MAX_PIXELS // 1_000_000)
    return img, fmt


def _public_pixels(img: Image.Image, fmt: str) -> tuple[Image.Image, str]:
    """Convert to a mode we publish; return the image and the format to save it in."""
    has_alpha = img.mode in _ALPHA_MODES or "transparency" in img.info
    if has_alpha:
        rgba = img.convert("RGBA")
        alpha = rgba.getchannel("A")
        # Only a PNG that really uses transparency stays PNG; the rest is a photo, so JPEG.
        if fmt == "PNG" and alpha.getextrema()[0] < 255:
            return rgba, "PNG"
        # JPEG has no alpha: flatten onto white rather than onto whatever the hidden RGB holds.
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=alpha)
        return flat, "JPEG"
    if img.mode in _HIGH_BIT_GREY_MODES:
        # 16-bit grey scaled to 8 bits; a plain convert would clip everything above 255 to white.
        return img.convert("I").point(lambda v: v / 256).convert("L"), "JPEG"
    if img.mode in ("1", "L"):
        return img.convert("L"), "JPEG"
    # CMYK, YCbCr, P without transparency, …: JPEG viewers expect RGB.
    return img.convert("RGB"), "JPEG"


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
    img, fmt = _open(original)
    try:
        # Animated WebP/APNG and multi-picture JPEGs: only the first frame is evidence we show.
        img.seek(0)
        # Decode fully now so truncated or corrupt data fails here, not while saving.
        img.load()
        # The copy must look upright once the orientation tag is gone with the rest of EXIF.
        ImageOps.exif_transpose(img, in_place=True)
        pixels, public_format = _public_pixels(img, fmt)
    except _DECODE_ERRORS as exc:
        raise EvidenceRejected(DAMAGED) from exc
    finally:
        img.close()
    # Bounds what we store and serve; thumbnail only ever shrinks and keeps the aspect ratio.
    pixels.thumbnail((PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE), Image.Resampling.LANCZOS)
    public_img = _strip(pixels)
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
