"""Where originals and staged uploads are kept (`GONGKAI_STORAGE`): the data directory's media folder (`local`, the
embedded default), the database (`database`) or an S3-compatible store (`s3`, django-storages). With `database`
or `s3` a Celery worker on another machine reads what the web server stored: they share only PostgreSQL and
Redis (and the bucket).

`DatabaseStorage` keeps each file's bytes in one row of `StoredFile`. Files are read whole into memory: the
upload limits (GONGKAI_MAX_UPLOAD_MB per file, ten times that for a zip) keep each one small.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible

NAME_LENGTH = 255


@deconstructible(path="gongkai.web.center.storage.DatabaseStorage")
class DatabaseStorage(Storage):
    """A Django storage whose files are rows of the site's own database (the `center_storedfile` table)."""

    @staticmethod
    def _rows():
        from gongkai.web.center.models import StoredFile  # the storage is built before the apps are ready

        return StoredFile.objects

    def _open(self, name: str, mode: str = "rb") -> ContentFile:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError(f"DatabaseStorage opens files for reading only, not {mode!r}")
        content = self._rows().filter(name=name).values_list("content", flat=True).first()
        if content is None:
            raise FileNotFoundError(f"no stored file named {name!r}")
        return ContentFile(bytes(content), name=name)  # PostgreSQL gives a memoryview, SQLite bytes

    def _save(self, name: str, content) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        # Two processes may pick the same free name at once: the unique name decides, the loser takes another.
        for _attempt in range(10):
            try:
                with transaction.atomic():  # a savepoint: a lost race leaves the caller's transaction usable
                    self._rows().create(name=name, content=data, size=len(data))
                return name
            except IntegrityError:
                name = self.get_available_name(name, max_length=NAME_LENGTH)
        raise FileExistsError(f"could not find a free name for {name!r}")

    def get_valid_name(self, name: str) -> str:
        return super().get_valid_name(name)[:NAME_LENGTH]

    def delete(self, name: str) -> None:
        if name:
            self._rows().filter(name=name).delete()

    def exists(self, name: str) -> bool:
        return self._rows().filter(name=name).exists()

    def size(self, name: str) -> int:
        size = self._rows().filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(f"no stored file named {name!r}")
        return size

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        directories, files = set(), []
        for name in self._rows().filter(name__startswith=prefix).values_list("name", flat=True):
            head, slash, _tail = name[len(prefix) :].partition("/")
            if slash:
                directories.add(head)
            else:
                files.append(head)
        return sorted(directories), sorted(files)

    def _created(self, name: str):
        created = self._rows().filter(name=name).values_list("created", flat=True).first()
        if created is None:
            raise FileNotFoundError(f"no stored file named {name!r}")
        return created

    def get_created_time(self, name: str):
        return self._created(name)

    def get_modified_time(self, name: str):  # files are never rewritten in place
        return self._created(name)

    def get_accessed_time(self, name: str):
        return self._created(name)
