-- POST /api/initiatives/{id}/reports (the official): BASELINES "insert a report and update its item, one transaction".
\set item random(:lo, :hi)
BEGIN;
INSERT INTO progress_reports (initiative_id, reported_by, reported_at, reported_on, phase, narrative, milestones_achieved, progress_after)
VALUES (:item, :official, now(), :today, 'Started', repeat('本期完成主体工程量的阶段任务，', 14), '{}', 0.5);
UPDATE initiatives SET last_reported_at = now(), last_reported_on = :today, phase = 'Started', updated_at = now() WHERE id = :item;
COMMIT;
