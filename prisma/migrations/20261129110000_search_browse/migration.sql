-- The search page before anything is typed, and once one facet value is clicked, without
-- reading every document: app/infra/search/embedded.server.ts keeps these tables with the
-- documents, in the statements that write them.

-- 1. A search with no words but filters reads every document the filters keep. The documents'
--    rows are wide (text and terms: 160 MB for 100,000 listings), and a scan of a table larger
--    than a quarter of the buffer pool reads it through a small ring of buffers, from the files
--    again each time. This narrow copy of the columns such a search filters, sorts and counts on
--    takes 15 MB, and goes with its document.
CREATE TABLE "SearchDocumentFacets" (
    "id" VARCHAR(80) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "field" "TechField",
    "industry" "Industry",
    "trl" INTEGER,
    "stage" "Stage",
    "modes" "TransferMode"[],
    "province" CHAR(2) NOT NULL,
    "priceBucket" VARCHAR(16) NOT NULL,
    "priceFen" BIGINT,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "facetCode" BIGINT,

    CONSTRAINT "SearchDocumentFacets_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "SearchDocumentFacets" ADD CONSTRAINT "SearchDocumentFacets_id_fkey" FOREIGN KEY ("id") REFERENCES "SearchDocument"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "SearchDocumentFacets" (id, kind, field, industry, trl, stage, modes, province, "priceBucket", "priceFen", "publishedAt", "facetCode")
SELECT id, kind, field, industry, trl, stage, modes, province, "priceBucket", "priceFen", "publishedAt", "facetCode" FROM "SearchDocument";

-- 2. How many documents of each kind have each facet value (facet 'kind': the kind itself, so
--    all of them): among all documents (given ''), and among those with one other value
--    (given 'province=50'): the tabs, facets and totals of those two pages.
CREATE TABLE "SearchFacetStat" (
    "given" VARCHAR(60) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "facet" VARCHAR(16) NOT NULL,
    "value" VARCHAR(40) NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "SearchFacetStat_pkey" PRIMARY KEY ("given","kind","facet","value")
);

INSERT INTO "SearchFacetStat" (given, kind, facet, value, n)
SELECT g.given, s.kind, split_part(v.fv, '=', 1), substr(v.fv, strpos(v.fv, '=') + 1), count(*)::int
FROM (SELECT kind, array_remove(ARRAY['field=' || field, 'industry=' || industry, 'trl=' || trl, 'stage=' || stage,
        'priceBucket=' || "priceBucket", 'province=' || province], NULL) || ARRAY(SELECT 'modes=' || m FROM unnest(modes) m) AS fv
      FROM "SearchDocumentFacets") s,
  unnest(array_prepend('kind=' || s.kind, s.fv)) v(fv),
  unnest(array_prepend('', s.fv)) g(given)
GROUP BY 1, 2, 3, 4;

-- 3. The page sorted without words reads the first rows of an index instead of sorting every
--    document: newest first (what relevance means without words), and by price either way with
--    the listings without a price last. A kind's newest use "SearchDocument_kind_publishedAt_idx".
CREATE INDEX "SearchDocument_publishedAt_id_idx" ON "SearchDocument"("publishedAt" DESC, "id");
CREATE INDEX "SearchDocument_priceFen_id_idx" ON "SearchDocument"("priceFen", "id");
CREATE INDEX "SearchDocument_priceFen_desc_id_idx" ON "SearchDocument"("priceFen" DESC NULLS LAST, "id");
