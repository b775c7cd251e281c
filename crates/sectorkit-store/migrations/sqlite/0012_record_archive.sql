-- Outreach touches can be archived (issue 8: records with history are archived, not destroyed).
-- Voice findings already carry archived_at; action items are retired by status 'dropped'.
ALTER TABLE outreach_touches ADD COLUMN archived_at INTEGER;
CREATE INDEX audit_log_entity ON audit_log(partnership_id, entity, at);
