-- The signed copy of a data-sharing agreement (issue 9 part 9): one file per agreement, kept in
-- the database so a backup of the database is a backup of the register. Replacing the file keeps
-- the old one's name, size and SHA-256 in the audit trail. Bounded by the application (5 MiB).
CREATE TABLE agreement_files (
    agreement_id   INTEGER PRIMARY KEY REFERENCES data_agreements(id) ON DELETE CASCADE,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    file_name      TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    size_bytes     INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256         TEXT    NOT NULL,
    data           BLOB    NOT NULL,
    uploaded_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at    INTEGER NOT NULL
);
CREATE INDEX agreement_files_partnership ON agreement_files(partnership_id);
