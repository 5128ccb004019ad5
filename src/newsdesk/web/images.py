"""Source images on pages, by the `image_policy` setting, in the way Miniflux's media proxy works.

``proxy`` (the default): every image a page shows is served from newsdesk's
own origin, ``/media/SIGNATURE/ENCODED-URL``. The signature (an HMAC of the
URL under a key kept in `media_dir`) means /media fetches only what newsdesk
itself put on a page: it is no open proxy. The image is fetched once through
a guarded `Fetcher` (public addresses only, size cap), kept only when it is a
real JPEG, PNG, GIF, WebP or AVIF (by its bytes, not only its Content-Type),
and cached on disk. The export copies the files into ``media/``.
``direct``: the source's https URL, as it is. ``none``: no image at all.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from newsdesk.errors import FetchError, NewsdeskError
from newsdesk.sources.http import Fetcher

# (leading bytes, offset) -> (media type, file extension)
_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"GIF87a", 0, "image/gif", "gif"),
    (b"GIF89a", 0, "image/gif", "gif"),
    (b"WEBP", 8, "image/webp", "webp"),
    (b"ftypavif", 4, "image/avif", "avif"),
)
MEDIA_TYPES = {extension: media_type for _, _, media_type, extension in _SIGNATURES}
RETRY_FAILED_AFTER = 600.0  # seconds before a failed image is tried again


@dataclass(frozen=True, slots=True)
class MediaFile:
    path: Path
    media_type: str


def image_kind(content: bytes) -> tuple[str, str] | None:
    """(media type, extension) of an image format browsers show, judged by its bytes."""
    for magic, offset, media_type, extension in _SIGNATURES:
        if content[offset : offset + len(magic)] == magic:
            return media_type, extension
    return None


def media_name(url: str) -> str:
    """The stable file name (without extension) of the image at `url`."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def absolute_image_url(src: str | None, base: str | None) -> str | None:
    """`src` resolved against the article's URL; only http(s) images are kept."""
    if not src or not src.strip():
        return None
    resolved = urljoin(base or "", src.strip())
    return resolved if resolved.lower().startswith(("http://", "https://")) else None


class MediaStore:
    """Images fetched once through a guarded fetcher and kept on disk under `directory`."""

    def __init__(self, directory: str | Path, fetcher: Callable[[], Fetcher]) -> None:
        self.directory = Path(directory)
        self._fetcher = fetcher
        self._failed: dict[str, float] = {}
        self._lock = threading.Lock()

    def load(self, url: str) -> MediaFile:
        """The image at `url`, from disk or fetched now; `FetchError` when it is no image."""
        cached = self._cached(url)
        if cached is not None:
            return cached
        with self._lock:
            failed_at = self._failed.get(url)
        if failed_at is not None and time.monotonic() - failed_at < RETRY_FAILED_AFTER:
            raise FetchError(url, "failed recently; not tried again yet")
        try:
            return self._fetch(url)
        except NewsdeskError:
            with self._lock:
                self._failed[url] = time.monotonic()
            raise

    def _cached(self, url: str) -> MediaFile | None:
        name = media_name(url)
        folder = self.directory / name[:2]
        for extension, media_type in MEDIA_TYPES.items():
            path = folder / f"{name}.{extension}"
            if path.is_file():
                return MediaFile(path, media_type)
        return None

    def _fetch(self, url: str) -> MediaFile:
        result = self._fetcher().get(url)
        if not result.content_type.startswith("image/"):
            raise FetchError(url, f"not an image (Content-Type {result.content_type or 'none'})")
        kind = image_kind(result.content)
        if kind is None:
            raise FetchError(url, "not an image format browsers show (JPEG, PNG, GIF, WebP, AVIF)")
        name = media_name(url)
        path = self.directory / name[:2] / f"{name}.{kind[1]}"
        _write_atomically(path, result.content)
        return MediaFile(path, kind[0])

    @functools.cached_property
    def signer(self) -> MediaSigner:
        return MediaSigner(_key(self.directory))

    def images(self) -> Images:
        """Images for the live site: signed ``media/...`` paths."""
        return Images("proxy", self.signer.path)


def shared_fetcher(given: Fetcher | None = None) -> Callable[[], Fetcher]:
    """`given`, or one guarded fetcher made on first use and shared from then on.

    Guarded: public addresses only, pinned, at every hop. Images a page
    shows are fetched on its reader's behalf, like a browser would, so
    robots.txt (for crawlers) is not asked.
    """
    made: list[Fetcher] = []
    lock = threading.Lock()

    def get() -> Fetcher:
        if given is not None:
            return given
        with lock:
            if not made:
                made.append(Fetcher(allow_private=False, respect_robots=False))
            return made[0]

    return get


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_bytes(content)
    os.replace(partial, path)


def _key(directory: Path) -> bytes:
    """The signing key, made once per media directory (so every worker shares it)."""
    path = directory / "signing-key"
    directory.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(descriptor, "wb") as out:
        out.write(secrets.token_bytes(32))
    return path.read_bytes()


@dataclass(frozen=True, slots=True)
class MediaSigner:
    """``/media/`` paths for image URLs, and the way back, refusing paths it did not sign."""

    key: bytes

    def path(self, url: str) -> str:
        """The root-relative path that serves `url`: ``media/SIGNATURE/ENCODED``."""
        encoded = base64.urlsafe_b64encode(url.encode("utf-8", "surrogatepass")).rstrip(b"=")
        return f"media/{self._signature(url)}/{encoded.decode()}"

    def url(self, signature: str, encoded: str) -> str | None:
        """The image URL a ``/media/`` path stands for, or None when it is not one of ours."""
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            url = raw.decode("utf-8")
        except (binascii.Error, ValueError):
            return None
        return url if hmac.compare_digest(self._signature(url), signature) else None

    def _signature(self, url: str) -> str:
        digest = hmac.new(self.key, url.encode("utf-8", "surrogatepass"), hashlib.sha256)
        return digest.hexdigest()[:32]


class Images:
    """What a page shows for a source image URL, under one policy.

    `locate` gives the root-relative path of a proxied image (live: a signed
    ``media/...`` path; export: the bundled file), or None when it cannot be
    shown. Every method returns None when the image is not shown: policy
    ``none``, not an http(s) URL, not https under ``direct``, or not found.
    """

    def __init__(self, policy: str, locate: Callable[[str], str | None] | None = None) -> None:
        self.policy = policy
        self._locate = locate or (lambda url: None)

    def src(self, url: str | None, *, root: str = "/", base: str | None = None) -> str | None:
        """The ``<img src>`` on a page whose way back to the site's root is `root`."""
        return self._resolve(url, base, lambda path: root + path)

    def public(self, url: str | None, *, site_url: str, base: str | None = None) -> str | None:
        """The image's full URL, for Open Graph and Twitter cards."""
        return self._resolve(url, base, lambda path: site_url.rstrip("/") + "/" + path)

    def _resolve(
        self, url: str | None, base: str | None, place: Callable[[str], str]
    ) -> str | None:
        absolute = absolute_image_url(url, base) if self.policy != "none" else None
        if absolute is None:
            return None
        if self.policy == "direct":
            return absolute if absolute.lower().startswith("https://") else None
        path = self._locate(absolute)
        return place(path) if path else None


class BundledImages:
    """The export's images: fetched (or taken from the cache) and copied into ``media/``."""

    def __init__(self, store: MediaStore, site: Path) -> None:
        self.store = store
        self.site = site
        self.copied: set[str] = set()
        self.failed: dict[str, str] = {}

    def relative_path(self, url: str) -> str | None:
        """``media/NAME.EXT`` inside the export, or None when the image is not available."""
        try:
            found = self.store.load(url)
        except NewsdeskError as error:
            self.failed[url] = error.reason
            return None
        relative = f"media/{found.path.name}"
        if relative not in self.copied:
            (self.site / "media").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found.path, self.site / relative)
            self.copied.add(relative)
        return relative
