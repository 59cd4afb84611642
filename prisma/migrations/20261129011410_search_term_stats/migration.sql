-- CreateTable
CREATE TABLE "SearchTermStat" (
    "kind" VARCHAR(16) NOT NULL,
    "term" TEXT NOT NULL,
    "df" INTEGER NOT NULL,

    CONSTRAINT "SearchTermStat_pkey" PRIMARY KEY ("kind","term")
);

-- The documents already indexed.
INSERT INTO "SearchTermStat" (kind, term, df)
SELECT kind, term, count(*)::int FROM (SELECT kind, unnest(tsvector_to_array(terms)) AS term FROM "SearchDocument") t GROUP BY kind, term;
