-- GET /api/board/ranking: BASELINES "overdue count per department of a jurisdiction".
SELECT lead_department_id, count(*) FROM initiatives
WHERE status IN ('Planned', 'InProgress') AND deadline < :today AND jurisdiction_id = :city
GROUP BY lead_department_id;
