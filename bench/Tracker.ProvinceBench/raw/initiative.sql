-- GET /api/initiatives/{id}: BASELINES "one item and its latest 20 reports".
SELECT * FROM initiatives WHERE id = :item;
SELECT id, reported_by, reported_at, reported_on, phase, narrative, problems, next_steps, progress_after
FROM progress_reports WHERE initiative_id = :item ORDER BY reported_at DESC LIMIT 20;
