"""The import pipeline, above the store: read (ingest.reader) → check (ingest.validate) → preview (ingest.diff) →
write in one transaction (store), and the opening of a store that decides whether a missing one may be created or
must be rebuilt from its archive (`opening`, `recovery`).
"""
from cruscotto.pipeline.imports import (
                                        Checked,
                                        ImportResult,
                                        PermissionDenied,
                                        annotate,
                                        build,
                                        check,
                                        commit,
                                        commit_upload,
                                        directory_digest,
                                        ensure_built,
                                        import_bytes,
                                        import_directory,
                                        import_path,
                                        needs_writing,
                                        pending_refresh,
                                        prepare_reading,
                                        refresh_shipped_data,
)

__all__ = ["Checked", "ImportResult", "PermissionDenied", "annotate", "build", "check", "commit", "commit_upload", "directory_digest", "ensure_built",
           "import_bytes", "import_directory", "import_path", "needs_writing", "pending_refresh", "prepare_reading",
           "refresh_shipped_data"]
