-- CreateTable
CREATE TABLE "ListingMatch" (
    "id" TEXT NOT NULL,
    "needKind" VARCHAR(16) NOT NULL,
    "needId" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "confidence" VARCHAR(16) NOT NULL,
    "reasons" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ListingMatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ListingMatch_needKind_needId_score_idx" ON "ListingMatch"("needKind", "needId", "score");

-- CreateIndex
CREATE INDEX "ListingMatch_offerId_score_idx" ON "ListingMatch"("offerId", "score");

-- CreateIndex
CREATE UNIQUE INDEX "ListingMatch_needKind_needId_offerId_key" ON "ListingMatch"("needKind", "needId", "offerId");
