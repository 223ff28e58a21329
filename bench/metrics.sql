-- followup benchmark baseline: SPEC §3 metrics in plain DuckDB SQL.
--
-- Input: the canonical two-file form written by `followup sample --split`
--   deals.csv    deal_id,name,stage,status,amount,currency,created_at,closed_at,cadence,owner
--   touches.csv  deal_id,at,channel,direction,outcome,subject
-- Scope: no period, no groups, no reply window (the report's default run).
--
-- Parameters (DuckDB variables; set them before running the script):
--   SET VARIABLE deals_csv   = 'path/to/deals.csv';     -- required
--   SET VARIABLE touches_csv = 'path/to/touches.csv';   -- required
--   SET VARIABLE as_of = DATE '2026-10-31';   -- optional, default: SPEC §3.9 / decisions.md
--   SET VARIABLE recovered_after = 2;         -- optional (--recovered-after), default 2
--   SET VARIABLE stale_days = 14;             -- optional (--stale-days), default 14
--   SET VARIABLE default_currency = 'USD';    -- optional (--currency), default USD
-- The last statement returns one row with one column `metrics`: a JSON document whose
-- field names follow metrics.json (SPEC §4).

------------------------------------------------------------------------------------------
-- 1. Read the inputs. Every column is read as text; times are parsed with strptime.
--    Rows with an unreadable id or time are dropped (the tool rejects them).
------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE deals AS
SELECT
    trim(deal_id)                                                   AS deal_id,
    CASE lower(trim(status)) WHEN 'won' THEN 'won' WHEN 'lost' THEN 'lost' ELSE 'open' END
                                                                    AS status,
    try_cast(trim(amount) AS DOUBLE)                                AS amount,
    coalesce(nullif(upper(trim(currency)), ''),
             coalesce(getvariable('default_currency'), 'USD'))      AS currency,
    -- closed_at may be a date or a date-time; only its calendar day is used
    CAST(try_strptime(trim(closed_at), ['%Y-%m-%d %H:%M', '%Y-%m-%d']) AS DATE)
                                                                    AS close_day
FROM read_csv(getvariable('deals_csv'), header = true, delim = ',', quote = '"',
              escape = '"', all_varchar = true)
WHERE nullif(trim(deal_id), '') IS NOT NULL;

-- Insertion order is file order, so rowid is the input order (tie-break for equal times).
CREATE OR REPLACE TEMP TABLE touches AS
SELECT
    trim(deal_id)                                         AS deal_id,
    try_strptime(trim("at"), '%Y-%m-%d %H:%M')            AS "at",
    lower(trim(coalesce(channel, '')))                    AS channel,
    lower(trim(coalesce(direction, ''))) = 'inbound'      AS inbound,   -- empty = outbound
    lower(trim(coalesce(outcome, '')))                    AS outcome,
    lower(ltrim(coalesce(subject, '')))                   AS subject
FROM read_csv(getvariable('touches_csv'), header = true, delim = ',', quote = '"',
              escape = '"', all_varchar = true);

------------------------------------------------------------------------------------------
-- 2. Classify every touch row (SPEC §2 outcome table, in the order of decisions.md):
--    note/task → not a touch; bounced → not a touch; automatic reply → not a response;
--    opt-out → not a response; meeting → response unless it did not take place;
--    inbound → response; outbound → response when the outcome is two-way.
--    Close-day cut (rule 1, decisions.md): for a won or lost deal with a close date only
--    rows on or before the calendar day of closed_at are kept; open deals keep all.
--    Touches of a deal_id that is not in deals.csv are dropped (the tool rejects them).
------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE events AS
SELECT
    t.deal_id,
    t."at",
    t.rowid AS ord,
    t.inbound,
    CASE
        WHEN t.outcome IN ('out of office', 'auto-reply', 'automatic reply',
                           'undeliverable', 'delivery failure')
          OR (t.inbound
              AND t.channel IN ('email', 'e-mail', 'mail')
              AND t.outcome = ''
              AND (   starts_with(t.subject, 'automatic reply:')
                   OR starts_with(t.subject, 'auto-reply')
                   OR starts_with(t.subject, 'autoreply')
                   OR starts_with(t.subject, 'out of office')
                   OR starts_with(t.subject, 'undeliverable')
                   OR starts_with(t.subject, 'delivery status notification')))
            THEN 'auto_reply'
        WHEN t.outcome IN ('unsubscribed', 'opted out', 'do not contact')
            THEN 'opt_out'
        WHEN t.channel IN ('meeting', 'demo', 'video call', 'zoom', 'teams')
            THEN CASE WHEN t.outcome IN ('no show', 'no-show', 'canceled', 'cancelled',
                                         'rescheduled', 'not held')
                      THEN 'one_way' ELSE 'response' END
        WHEN t.inbound
            THEN 'response'
        WHEN t.outcome IN ('connected', 'answered', 'replied', 'reply', 'completed',
                           'held', 'attended')
            THEN 'response'
        ELSE 'one_way'
    END AS kind
FROM touches t
JOIN deals d ON d.deal_id = t.deal_id
WHERE t."at" IS NOT NULL
  AND t.channel NOT IN ('note', 'task', 'internal note', 'todo')
  AND t.outcome <> 'bounced'
  AND (d.status = 'open' OR d.close_day IS NULL OR CAST(t."at" AS DATE) <= d.close_day);

------------------------------------------------------------------------------------------
-- 3. Outbound touches numbered per deal by (at, input order): touch k (rule 1).
------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE outbound AS
SELECT
    deal_id,
    "at",
    row_number() OVER (PARTITION BY deal_id ORDER BY "at", ord) AS touch_no
FROM events
WHERE NOT inbound;

------------------------------------------------------------------------------------------
-- 4. First response per deal and its attribution (rules 2–3): the latest outbound touch
--    at or before it, i.e. k = number of outbound touches with at <= response time.
--    k = 0: inbound-initiated.
------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE first_response AS
WITH fr AS (
    SELECT deal_id, min("at") AS resp_at
    FROM events
    WHERE kind = 'response'
    GROUP BY deal_id
)
SELECT fr.deal_id, fr.resp_at, coalesce(max(o.touch_no), 0) AS k
FROM fr
LEFT JOIN outbound o ON o.deal_id = fr.deal_id AND o."at" <= fr.resp_at
GROUP BY fr.deal_id, fr.resp_at;

------------------------------------------------------------------------------------------
-- 5. One row per deal: n (outbound touch count), last outbound touch, first response.
------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE deal_stats AS
SELECT
    d.deal_id,
    d.status,
    d.amount,
    d.currency,
    d.close_day,
    coalesce(o.n, 0) AS n,
    o.last_at,
    r.resp_at,
    r.k
FROM deals d
LEFT JOIN (SELECT deal_id, max(touch_no) AS n, max("at") AS last_at
           FROM outbound GROUP BY deal_id) o ON o.deal_id = d.deal_id
LEFT JOIN first_response r ON r.deal_id = d.deal_id;

------------------------------------------------------------------------------------------
-- 6. Metrics, returned as one JSON document.
------------------------------------------------------------------------------------------
WITH
params AS (
    SELECT
        coalesce(CAST(getvariable('recovered_after') AS INTEGER), 2) AS recovered_after,
        coalesce(CAST(getvariable('stale_days') AS INTEGER), 14)     AS stale_days,
        1.959963984540054                                             AS z,
        -- rule 9 / decisions.md: latest touch (not bounced, not a note) or won/lost close
        coalesce(CAST(getvariable('as_of') AS DATE),
                 (SELECT max(x) FROM (
                      SELECT max(CAST(t."at" AS DATE)) AS x
                      FROM touches t JOIN deals d ON d.deal_id = t.deal_id
                      WHERE t."at" IS NOT NULL AND t.outcome <> 'bounced'
                        AND t.channel NOT IN ('note', 'task', 'internal note', 'todo')
                      UNION ALL
                      SELECT max(close_day) FROM deals WHERE status <> 'open')))  AS as_of
),
-- Rule 4. A deal is at risk for touch j while j <= n and it had not responded before
-- touch j: j <= k for a responding deal (k = 0: inbound-initiated, never at risk),
-- j <= n for a deal that never responded.
at_risk AS (
    SELECT CASE WHEN resp_at IS NULL THEN n ELSE k END AS last_at_risk
    FROM deal_stats
),
touch_numbers AS (
    SELECT range AS touch
    FROM range(1, (SELECT coalesce(max(last_at_risk), 0) + 1 FROM at_risk))
),
-- sent_k = deals whose last touch at risk is k or later: a reverse running sum.
sent AS (
    SELECT tn.touch,
           sum(coalesce(c.deals, 0)) OVER (ORDER BY tn.touch DESC
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS sent
    FROM touch_numbers tn
    LEFT JOIN (SELECT last_at_risk, count(*) AS deals FROM at_risk
               WHERE last_at_risk >= 1 GROUP BY last_at_risk) c
           ON c.last_at_risk = tn.touch
),
responded AS (
    SELECT k AS touch, count(*) AS responded
    FROM deal_stats
    WHERE k >= 1
    GROUP BY k
),
rbt_base AS (
    SELECT s.touch, s.sent, coalesce(r.responded, 0) AS responded,
           coalesce(r.responded, 0) / nullif(s.sent, 0) AS rate
    FROM sent s LEFT JOIN responded r ON r.touch = s.touch
),
rbt AS (
    SELECT
        b.*,
        sum(responded) OVER w / nullif(first_value(sent) OVER w, 0) AS cumulative,
        -- Kaplan–Meier survival S_k = prod(1 - rate_j); a touch with sent_j = 0 gives 1
        product(coalesce(1 - rate, 1)) OVER w AS surv,
        -- Greenwood: sum d / (n (n - d))
        sum(CASE WHEN sent > 0 THEN responded / nullif(sent * (sent - responded), 0) ELSE 0 END)
            OVER w AS greenwood
    FROM rbt_base b
    WINDOW w AS (ORDER BY touch ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
rbt_json AS (
    SELECT list({
        'touch': touch,
        'sent': sent,
        'responded': responded,
        'rate': rate,
        -- Wilson 95% score interval
        'ci_low': CASE WHEN sent > 0 THEN greatest(0.0,
            (rate + z*z/(2*sent) - z*sqrt(rate*(1-rate)/sent + z*z/(4*sent*sent))) / (1 + z*z/sent)) END,
        'ci_high': CASE WHEN sent > 0 THEN least(1.0,
            (rate + z*z/(2*sent) + z*sqrt(rate*(1-rate)/sent + z*z/(4*sent*sent))) / (1 + z*z/sent)) END,
        'cumulative': cumulative,
        'cumulative_km': 1 - surv,
        -- log(-log S) interval, null where S is 0 or 1
        'km_low':  CASE WHEN surv > 0 AND surv < 1 AND greenwood IS NOT NULL THEN
            1 - power(surv, exp(-z * sqrt(greenwood) / abs(ln(surv)))) END,
        'km_high': CASE WHEN surv > 0 AND surv < 1 AND greenwood IS NOT NULL THEN
            1 - power(surv, exp( z * sqrt(greenwood) / abs(ln(surv)))) END
    } ORDER BY touch) AS rows
    FROM rbt, params
),
-- Rule 5: touches to close (won) and touches before loss (lost); n = 0 is "untracked".
closed_summary AS (
    SELECT
        status,
        count(*)                                   AS deals,
        count(*) FILTER (WHERE n = 0)              AS untracked,
        avg(n) FILTER (WHERE n >= 1)               AS mean,
        quantile_cont(n, 0.5) FILTER (WHERE n >= 1) AS median
    FROM deal_stats
    WHERE status IN ('won', 'lost')
    GROUP BY status
),
closed_hist AS (
    SELECT status, list({'touches': n, 'deals': deals} ORDER BY n) AS histogram
    FROM (SELECT status, n, count(*) AS deals
          FROM deal_stats
          WHERE status IN ('won', 'lost') AND n >= 1
          GROUP BY status, n)
    GROUP BY status
),
-- Rule 6: conversion after follow-up (n >= 2) and the single-touch rate (n = 1).
conversion AS (
    SELECT
        count(*) FILTER (WHERE n >= 2 AND status = 'won')  AS won,
        count(*) FILTER (WHERE n >= 2 AND status = 'lost') AS lost,
        count(*) FILTER (WHERE n >= 2 AND status = 'open') AS open,
        count(*) FILTER (WHERE n = 1 AND status = 'won')   AS single_won,
        count(*) FILTER (WHERE n = 1 AND status = 'lost')  AS single_lost
    FROM deal_stats
),
-- Rule 7: revenue recovered = won deals with n >= 1 + recovered_after.
recovered AS (
    SELECT
        count(*)                                  AS deals,
        count(*) FILTER (WHERE amount IS NULL)    AS no_amount
    FROM deal_stats, params
    WHERE status = 'won' AND n >= 1 + recovered_after
),
recovered_by_currency AS (
    SELECT list({'currency': currency, 'amount': recovered_amount,
                 'share_of_won': recovered_amount / nullif(won_amount, 0)}
                ORDER BY currency) AS rows
    FROM (SELECT currency,
                 coalesce(sum(amount) FILTER (WHERE n >= 1 + recovered_after), 0) AS recovered_amount,
                 sum(amount) AS won_amount
          FROM deal_stats, params
          WHERE status = 'won' AND amount IS NOT NULL
          GROUP BY currency)
),
-- Rule 8: give-up point. Lost deals, and open deals with no response whose last outbound
-- touch is stale_days or more before as_of; n = 0 is left out.
give_up_deals AS (
    SELECT CASE WHEN n = 1 THEN '1' WHEN n = 2 THEN '2' WHEN n <= 4 THEN '3-4' ELSE '5+' END
               AS bucket
    FROM deal_stats, params
    WHERE n >= 1
      AND (status = 'lost'
           OR (status = 'open' AND resp_at IS NULL
               AND date_diff('day', CAST(last_at AS DATE), as_of) >= stale_days))
),
give_up AS (
    SELECT bucket, ord, deals, deals / nullif(sum(deals) OVER (), 0) AS share
    FROM (SELECT b.bucket, b.ord, count(g.bucket) AS deals
          FROM (VALUES ('1', 1), ('2', 2), ('3-4', 3), ('5+', 4)) b(bucket, ord)
          LEFT JOIN give_up_deals g ON g.bucket = b.bucket
          GROUP BY b.bucket, b.ord)
),
deal_counts AS (
    SELECT
        count(*)                                        AS total,
        count(*) FILTER (WHERE status = 'won')          AS won,
        count(*) FILTER (WHERE status = 'lost')         AS lost,
        count(*) FILTER (WHERE status = 'open')         AS open,
        count(*) FILTER (WHERE resp_at IS NOT NULL AND k = 0) AS inbound_initiated
    FROM deal_stats
)
SELECT CAST(to_json({
    'schema': 'followup/1',
    'as_of': CAST((SELECT as_of FROM params) AS VARCHAR),
    'deals': (SELECT deal_counts FROM deal_counts),
    'response_by_touch': coalesce((SELECT rows FROM rbt_json), []),
    'touches_to_close': (
        SELECT {'won': coalesce(max(s.deals), 0), 'untracked': coalesce(max(s.untracked), 0),
                'mean': max(s.mean), 'median': max(s.median),
                'histogram': coalesce(max(h.histogram), [])}
        FROM (SELECT 1) LEFT JOIN closed_summary s ON s.status = 'won'
                        LEFT JOIN closed_hist h ON h.status = 'won'),
    'touches_before_loss': (
        SELECT {'lost': coalesce(max(s.deals), 0), 'untracked': coalesce(max(s.untracked), 0),
                'mean': max(s.mean), 'median': max(s.median),
                'histogram': coalesce(max(h.histogram), [])}
        FROM (SELECT 1) LEFT JOIN closed_summary s ON s.status = 'lost'
                        LEFT JOIN closed_hist h ON h.status = 'lost'),
    'conversion_after_follow_up': (
        SELECT {'followed_up': won + lost + open, 'won': won, 'lost': lost, 'open': open,
                'rate': won / nullif(won + lost, 0),
                'single_touch_rate': single_won / nullif(single_won + single_lost, 0)}
        FROM conversion),
    'revenue_recovered': (
        SELECT {'recovered_after': p.recovered_after, 'deals': r.deals,
                'no_amount': r.no_amount,
                'by_currency': coalesce((SELECT rows FROM recovered_by_currency), [])}
        FROM recovered r, params p),
    'give_up': (
        SELECT {'deals': sum(deals)::BIGINT,
                'buckets': list({'bucket': bucket, 'deals': deals, 'share': share} ORDER BY ord)}
        FROM give_up)
}) AS VARCHAR) AS metrics;
