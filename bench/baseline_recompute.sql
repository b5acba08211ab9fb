-- The single-SQL baseline of the recompute: every open school's score with the active scoring
-- model, as of :'as_of' (psql -v as_of=YYYY-MM-DD), written to the table bench_recompute_baseline.
-- One statement, PostgreSQL alone (no PostGIS, no extension): each LSOA's mean crime point is
-- placed on the British National Grid with plain float arithmetic, the steps of pyproj's
-- EPSG:4326 -> EPSG:27700 pipeline without a grid:
--   WGS84 geodetic -> cartesian; inverse 7-parameter Helmert "OSGB36 to WGS 84 (6)" (position
--   vector); cartesian -> Airy 1830 geodetic (Bowring's formula, as PROJ's cart); Transverse
--   Mercator by the Ordnance Survey's series (lat0 49N, lon0 2W, k0 0.9996012717).
-- Outside that Helmert's bounding box (at sea) pyproj takes its "ballpark" operation, and so does
-- this: latitude and longitude unchanged, projected on Airy 1830.
-- Rounding follows priorities/scoring.py: a point is the shortest decimal of the float (::text)
-- times the weight, rounded half up to 2 places; stored percentiles are the float rounded as
-- Python's format does (to_char, printf underneath). Weighted crime is summed in hundredths, as
-- integers (the weights have two decimal places), so exposures are exact.
-- Run with JIT off (PGOPTIONS='-c jit=off'): planned from CTEs without statistics, the statement
-- looks costly enough for PostgreSQL to compile it, which takes longer than running it.
DROP TABLE IF EXISTS bench_recompute_baseline;
CREATE TABLE bench_recompute_baseline AS
WITH model AS MATERIALIZED (
    SELECT m.*, :'as_of'::date AS as_of FROM priorities_scoringmodel AS m WHERE m.is_active
),
window_ AS MATERIALIZED (
    SELECT model.*, last_month, (last_month - make_interval(months => crime_months - 1))::date AS first_month
    FROM model, LATERAL (
        SELECT coalesce(max(month), date_trunc('month', as_of)::date) AS last_month
        FROM priorities_crimeaggregate WHERE month <= as_of
    ) AS latest
),
lsoa AS MATERIALIZED (
    SELECT a.lsoa_code,
           sum(a.count * coalesce((w.weight * 100)::int8, 0)) AS weighted,  -- hundredths: exact
           sum(a.located_count) FILTER (WHERE a.longitude IS NOT NULL AND a.latitude IS NOT NULL) AS located,
           sum(a.longitude * a.located_count) AS longitude_sum,
           sum(a.latitude * a.located_count) AS latitude_sum
    FROM window_
    JOIN priorities_crimeaggregate AS a ON a.month BETWEEN window_.first_month AND window_.last_month
    LEFT JOIN priorities_crimetypeweight AS w ON w.scoring_model_id = window_.id AND w.crime_type = a.crime_type
    GROUP BY a.lsoa_code
),
geodetic AS MATERIALIZED (  -- each LSOA's mean crime point
    SELECT lsoa_code, weighted, longitude_sum / located AS longitude, latitude_sum / located AS latitude
    FROM lsoa, window_ WHERE located <> 0 AND crime_radius_m > 0
),
wgs84_xyz AS MATERIALIZED (
    SELECT lsoa_code, weighted, phi, lam, nu * cos(phi) * cos(lam) AS x, nu * cos(phi) * sin(lam) AS y,
           nu * (1 - 0.00669437999014132) * sin(phi) AS z,
           longitude BETWEEN -8.82 AND 1.92 AND latitude BETWEEN 49.79 AND 60.94 AS helmert
    FROM geodetic,
         LATERAL (SELECT radians(longitude) AS lam, radians(latitude) AS phi) AS radians,
         LATERAL (SELECT 6378137.0::float8 / sqrt(1 - 0.00669437999014132 * sin(phi) ^ 2) AS nu) AS n
),
osgb36_xyz AS MATERIALIZED (
    -- X = R^T (X' - T) / (1 + s): rotations in arc seconds, s in parts per million.
    SELECT lsoa_code, weighted, phi, lam, helmert, (dx + rz * dy - ry * dz) / sc AS x,
           (-rz * dx + dy + rx * dz) / sc AS y, (ry * dx - rx * dy + dz) / sc AS z
    FROM wgs84_xyz, LATERAL (
        SELECT x - 446.448 AS dx, y + 125.157 AS dy, z - 542.06 AS dz, radians(0.15 / 3600) AS rx,
               radians(0.247 / 3600) AS ry, radians(0.842 / 3600) AS rz, 1 - 20.489e-6 AS sc
    ) AS shift
),
airy AS MATERIALIZED (
    SELECT lsoa_code, weighted,
           CASE WHEN helmert THEN atan2(z + e2s * b * sin(t) ^ 3, p - es * a * cos(t) ^ 3) ELSE phi END AS phi,
           CASE WHEN helmert THEN atan2(y, x) ELSE lam END AS lam
    FROM osgb36_xyz,
         LATERAL (SELECT 6377563.396::float8 AS a, 6356256.909::float8 AS b, sqrt(x ^ 2 + y ^ 2) AS p) AS axes,
         LATERAL (SELECT 1 - (b / a) ^ 2 AS es, (a / b) ^ 2 - 1 AS e2s, atan2(z * a, p * b) AS t) AS bowring
),
lsoa_point AS MATERIALIZED (
    SELECT lsoa_code, weighted,
           400000 + iv * l + v * l ^ 3 + vi * l ^ 5 AS easting,
           m - 100000 + ii * l ^ 2 + iii * l ^ 4 + iiia * l ^ 6 AS northing
    FROM airy,
         LATERAL (SELECT 6377563.396 * 0.9996012717 AS af, 6356256.909 * 0.9996012717 AS bf,
                         1 - (6356256.909::float8 / 6377563.396) ^ 2 AS e2,
                         (6377563.396 - 6356256.909) / (6377563.396 + 6356256.909) AS n, radians(49.0) AS phi0,
                         lam - radians(-2.0) AS l, sin(phi) AS s, cos(phi) AS c, tan(phi) ^ 2 AS t2) AS k,
         LATERAL (SELECT af / sqrt(1 - e2 * s ^ 2) AS nu, af * (1 - e2) / (1 - e2 * s ^ 2) ^ 1.5 AS rho) AS r,
         LATERAL (SELECT nu / rho - 1 AS eta2,
                         bf * ((1 + n + 1.25 * n ^ 2 + 1.25 * n ^ 3) * (phi - phi0)
                               - (3 * n + 3 * n ^ 2 + 2.625 * n ^ 3) * sin(phi - phi0) * cos(phi + phi0)
                               + (1.875 * n ^ 2 + 1.875 * n ^ 3) * sin(2 * (phi - phi0)) * cos(2 * (phi + phi0))
                               - 35.0 / 24 * n ^ 3 * sin(3 * (phi - phi0)) * cos(3 * (phi + phi0))) AS m) AS arc,
         LATERAL (SELECT nu / 2 * s * c AS ii, nu / 24 * s * c ^ 3 * (5 - t2 + 9 * eta2) AS iii,
                         nu / 720 * s * c ^ 5 * (61 - 58 * t2 + t2 ^ 2) AS iiia, nu * c AS iv,
                         nu / 6 * c ^ 3 * (nu / rho - t2) AS v,
                         nu / 120 * c ^ 5 * (5 - 18 * t2 + t2 ^ 2 + 14 * eta2 - 58 * t2 * eta2) AS vi) AS terms
),
lsoa_cell AS MATERIALIZED (  -- a grid of radius-sized cells: a point within the radius is in one of 9 cells
    SELECT lsoa_code, weighted, easting, northing,
           floor(easting / crime_radius_m)::bigint AS cx, floor(northing / crime_radius_m)::bigint AS cy
    FROM lsoa_point, window_
),
school AS MATERIALIZED (
    SELECT s.id, s.urn, s.bcu_id, s.lsoa_code, s.easting::float8 AS easting, s.northing::float8 AS northing,
           s.pupil_count, s.fsm_percentage
    FROM schools_school AS s WHERE s.status IN ('open', 'open_proposed_to_close')
),
near AS MATERIALIZED (  -- every LSOA whose point is within the radius of the school's point
    SELECT school.id, c.weighted, c.lsoa_code = school.lsoa_code AS own
    FROM window_ CROSS JOIN school
    CROSS JOIN (VALUES (-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 0), (0, 1), (1, -1), (1, 0), (1, 1)) AS next_to (dx, dy)
    JOIN lsoa_cell AS c
      ON c.cx = floor(school.easting / nullif(window_.crime_radius_m, 0))::bigint + next_to.dx
     AND c.cy = floor(school.northing / nullif(window_.crime_radius_m, 0))::bigint + next_to.dy
    WHERE (c.easting - school.easting) ^ 2 + (c.northing - school.northing) ^ 2
          <= window_.crime_radius_m::float8 * window_.crime_radius_m
),
exposure AS MATERIALIZED (  -- plus the school's own LSOA, counted once
    SELECT school.*,
           CASE WHEN near.own THEN 0 ELSE coalesce(own.weighted, 0) END + coalesce(near.weighted, 0) AS exposure,
           CASE WHEN near.own OR own.lsoa_code IS NULL THEN 0 ELSE 1 END + coalesce(near.lsoa_count, 0) AS lsoa_count
    FROM school
    LEFT JOIN lsoa AS own ON own.lsoa_code = school.lsoa_code
    LEFT JOIN (SELECT id, sum(weighted) AS weighted, count(*) AS lsoa_count, bool_or(own) AS own FROM near GROUP BY id)
        AS near USING (id)
),
coverage AS MATERIALIZED (
    SELECT p.school_id, CASE WHEN bool_or(p.role = 'primary') THEN 'primary' ELSE 'secondary' END AS level
    FROM window_, officers_posting AS p JOIN officers_officer AS o ON o.id = p.officer_id
    WHERE p.start_date <= window_.as_of AND (p.end_date IS NULL OR p.end_date >= window_.as_of)
      AND o.role = 'sso' AND o.status <> 'left'
    GROUP BY p.school_id
),
advice AS MATERIALIZED (  -- per school, the latest advice of each organisation within its age limit
    SELECT school_id, round(sum(adjustment)::numeric / count(*), 2) AS mean
    FROM (
        SELECT DISTINCT ON (a.school_id, a.organisation) a.school_id, a.adjustment
        FROM window_, priorities_partneradvice AS a
        WHERE a.advised_on BETWEEN window_.as_of - window_.advice_max_age_days AND window_.as_of
        ORDER BY a.school_id, a.organisation, a.advised_on DESC, a.id DESC
    ) AS latest
    GROUP BY school_id
),
scaled AS MATERIALIZED (
    SELECT exposure.*,
           CASE WHEN count(*) OVER () < 2 THEN 0.0::float8
                ELSE 100.0::float8 * (rank() OVER (ORDER BY exposure) - 1) / (count(*) OVER () - 1) END AS crime_pct,
           CASE WHEN count(*) OVER () < 2 THEN 0.0::float8
                ELSE 100.0::float8 * (rank() OVER (ORDER BY coalesce(pupil_count, 0)) - 1) / (count(*) OVER () - 1)
           END AS pupils_pct,
           coalesce(advice.mean, 0) AS advice_mean, coalesce(coverage.level, 'none') AS level
    FROM exposure LEFT JOIN advice ON advice.school_id = exposure.id LEFT JOIN coverage ON coverage.school_id = exposure.id
),
points AS MATERIALIZED (
    SELECT scaled.*,
           round(crime_pct::text::numeric * window_.crime_weight, 2) AS crime,
           round(coalesce(fsm_percentage, 0) * window_.fsm_weight, 2) AS fsm,
           round(pupils_pct::text::numeric * window_.pupils_weight, 2) AS pupils,
           round((advice_mean::float8 * 50)::text::numeric * window_.advice_weight, 2) AS advice,
           round(CASE level WHEN 'primary' THEN 100 WHEN 'secondary' THEN 50 ELSE 0 END * window_.coverage_weight, 2)
               AS coverage
    FROM scaled, window_
),
ranked AS (
    SELECT points.*, crime + fsm + pupils + advice + coverage AS total,
           row_number() OVER (PARTITION BY bcu_id ORDER BY crime + fsm + pupils + advice + coverage DESC,
                                                            length(urn), urn COLLATE "C") AS rank_in_bcu,
           count(*) OVER (PARTITION BY bcu_id) AS in_bcu
    FROM points
)
SELECT id AS school_id, bcu_id, total, rank_in_bcu,
       CASE WHEN rank_in_bcu <= ceil(in_bcu * 0.2::float8) THEN 'high'
            WHEN rank_in_bcu <= ceil(in_bcu * 0.5::float8) THEN 'medium' ELSE 'low' END AS band,
       crime, fsm, pupils, advice, coverage,
       round(exposure / 100.0, 2) AS crime_input, lsoa_count AS crime_lsoa_count,
       to_char(crime_pct, 'FM990.0')::numeric AS crime_percentile, fsm_percentage AS fsm_input,
       pupil_count AS pupils_input, to_char(pupils_pct, 'FM990.0')::numeric AS pupils_percentile,
       advice_mean AS advice_input, level AS coverage_input
FROM ranked;
