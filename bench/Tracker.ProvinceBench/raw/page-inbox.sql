-- /inbox (the official): their latest digests.
SELECT id, period, subject, body, item_count, created_at, read_at
FROM inbox_messages WHERE recipient_email = :official ORDER BY period DESC LIMIT 20;
