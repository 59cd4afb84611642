-- CreateEnum
CREATE TYPE "BrokerGrade" AS ENUM ('JUNIOR', 'INTERMEDIATE', 'SENIOR');

-- CreateEnum
CREATE TYPE "DealStage" AS ENUM ('LEAD', 'SHORTLISTED', 'INTRODUCED', 'NDA', 'DUE_DILIGENCE', 'NEGOTIATING', 'CONTRACT', 'WON', 'LOST');

-- CreateEnum
CREATE TYPE "DealRole" AS ENUM ('LEAD', 'ASSIST', 'BUREAU');

-- CreateEnum
CREATE TYPE "MessageKind" AS ENUM ('MESSAGE', 'NOTE');

-- CreateEnum
CREATE TYPE "EmailStatus" AS ENUM ('QUEUED', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "SavedSearchKind" AS ENUM ('SEARCH', 'MATCHES');

-- AlterTable
ALTER TABLE "Demand" ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "confirmedAt" TIMESTAMP(3),
ADD COLUMN     "confirmedById" TEXT,
ADD COLUMN     "leadBrokerId" TEXT,
ADD COLUMN     "minedAt" TIMESTAMP(3),
ADD COLUMN     "minedById" TEXT;

-- CreateTable
CREATE TABLE "DemandAssist" (
    "demandId" TEXT NOT NULL,
    "brokerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DemandAssist_pkey" PRIMARY KEY ("demandId","brokerId")
);

-- CreateTable
CREATE TABLE "BrokerProfile" (
    "userId" TEXT NOT NULL,
    "grade" "BrokerGrade" NOT NULL,
    "certificateNo" VARCHAR(64),
    "fields" "TechField"[],
    "industries" "Industry"[],
    "regionCodes" TEXT[],
    "bio" TEXT NOT NULL DEFAULT '',
    "listed" BOOLEAN NOT NULL DEFAULT true,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "verifiedAt" TIMESTAMP(3),
    "verifiedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BrokerProfile_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "Deal" (
    "id" TEXT NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "demandId" TEXT,
    "scenarioId" TEXT,
    "buyerOrgId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "stage" "DealStage" NOT NULL DEFAULT 'LEAD',
    "nextStep" VARCHAR(500),
    "nextStepDue" DATE,
    "remindedAt" TIMESTAMP(3),
    "lostReason" VARCHAR(1000),
    "contractId" TEXT,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Deal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DealCandidate" (
    "id" TEXT NOT NULL,
    "dealId" TEXT NOT NULL,
    "achievementId" TEXT NOT NULL,
    "sellerOrgId" TEXT NOT NULL,
    "shortlisted" BOOLEAN NOT NULL DEFAULT true,
    "note" VARCHAR(1000),
    "introducedAt" TIMESTAMP(3),
    "droppedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DealCandidate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DealMember" (
    "dealId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "DealRole" NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DealMember_pkey" PRIMARY KEY ("dealId","userId")
);

-- CreateTable
CREATE TABLE "DealMessage" (
    "id" TEXT NOT NULL,
    "dealId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "kind" "MessageKind" NOT NULL DEFAULT 'MESSAGE',
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DealMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DealAttachment" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "mime" VARCHAR(100) NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "path" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DealAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DealRead" (
    "dealId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "lastReadAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DealRead_pkey" PRIMARY KEY ("dealId","userId")
);

-- CreateTable
CREATE TABLE "DealEvent" (
    "id" BIGSERIAL NOT NULL,
    "dealId" TEXT NOT NULL,
    "actorId" TEXT,
    "type" VARCHAR(64) NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DealEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NdaTemplate" (
    "version" INTEGER NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NdaTemplate_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "Nda" (
    "id" TEXT NOT NULL,
    "dealId" TEXT NOT NULL,
    "sellerOrgId" TEXT NOT NULL,
    "templateVersion" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "textHash" CHAR(64) NOT NULL,
    "effectiveAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Nda_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NdaAcceptance" (
    "id" TEXT NOT NULL,
    "ndaId" TEXT NOT NULL,
    "party" "ContractParty" NOT NULL,
    "orgId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "userName" VARCHAR(100) NOT NULL,
    "ip" VARCHAR(64),
    "textHash" CHAR(64) NOT NULL,
    "acceptedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NdaAcceptance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConfidentialGrant" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "listingKind" VARCHAR(16) NOT NULL,
    "listingId" TEXT NOT NULL,
    "ndaId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConfidentialGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" TEXT NOT NULL,
    "dealId" TEXT NOT NULL,
    "contractId" TEXT,
    "dueDate" DATE NOT NULL,
    "assigneeId" TEXT NOT NULL,
    "doneAt" TIMESTAMP(3),
    "outcome" TEXT,
    "remindedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" VARCHAR(64) NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "link" VARCHAR(500),
    "readAt" TIMESTAMP(3),
    "digestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationSettings" (
    "userId" TEXT NOT NULL,
    "emailTypes" TEXT[],
    "mutedTypes" TEXT[],
    "dailyDigest" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationSettings_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "EmailMessage" (
    "id" TEXT NOT NULL,
    "to" VARCHAR(254) NOT NULL,
    "subject" VARCHAR(300) NOT NULL,
    "text" TEXT NOT NULL,
    "category" VARCHAR(64) NOT NULL,
    "status" "EmailStatus" NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "emlPath" TEXT,
    "messageId" VARCHAR(300),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "EmailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedSearch" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "kind" "SavedSearchKind" NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "listingKind" VARCHAR(16),
    "listingId" TEXT,
    "alert" BOOLEAN NOT NULL DEFAULT true,
    "lastCheckedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedSearch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedSearchHit" (
    "savedSearchId" TEXT NOT NULL,
    "listingKind" VARCHAR(16) NOT NULL,
    "listingId" TEXT NOT NULL,
    "notifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedSearchHit_pkey" PRIMARY KEY ("savedSearchId","listingKind","listingId")
);

-- CreateIndex
CREATE INDEX "DemandAssist_brokerId_idx" ON "DemandAssist"("brokerId");

-- CreateIndex
CREATE INDEX "BrokerProfile_verified_listed_idx" ON "BrokerProfile"("verified", "listed");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_number_key" ON "Deal"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_contractId_key" ON "Deal"("contractId");

-- CreateIndex
CREATE INDEX "Deal_ownerId_stage_idx" ON "Deal"("ownerId", "stage");

-- CreateIndex
CREATE INDEX "Deal_buyerOrgId_idx" ON "Deal"("buyerOrgId");

-- CreateIndex
CREATE INDEX "Deal_stage_nextStepDue_idx" ON "Deal"("stage", "nextStepDue");

-- CreateIndex
CREATE INDEX "Deal_demandId_idx" ON "Deal"("demandId");

-- CreateIndex
CREATE INDEX "DealCandidate_sellerOrgId_idx" ON "DealCandidate"("sellerOrgId");

-- CreateIndex
CREATE INDEX "DealCandidate_achievementId_idx" ON "DealCandidate"("achievementId");

-- CreateIndex
CREATE UNIQUE INDEX "DealCandidate_dealId_achievementId_key" ON "DealCandidate"("dealId", "achievementId");

-- CreateIndex
CREATE INDEX "DealMember_userId_idx" ON "DealMember"("userId");

-- CreateIndex
CREATE INDEX "DealMessage_dealId_createdAt_idx" ON "DealMessage"("dealId", "createdAt");

-- CreateIndex
CREATE INDEX "DealAttachment_messageId_idx" ON "DealAttachment"("messageId");

-- CreateIndex
CREATE INDEX "DealEvent_dealId_createdAt_idx" ON "DealEvent"("dealId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Nda_dealId_sellerOrgId_key" ON "Nda"("dealId", "sellerOrgId");

-- CreateIndex
CREATE UNIQUE INDEX "NdaAcceptance_ndaId_party_key" ON "NdaAcceptance"("ndaId", "party");

-- CreateIndex
CREATE INDEX "ConfidentialGrant_orgId_idx" ON "ConfidentialGrant"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "ConfidentialGrant_orgId_listingKind_listingId_ndaId_key" ON "ConfidentialGrant"("orgId", "listingKind", "listingId", "ndaId");

-- CreateIndex
CREATE INDEX "FollowUp_assigneeId_doneAt_dueDate_idx" ON "FollowUp"("assigneeId", "doneAt", "dueDate");

-- CreateIndex
CREATE INDEX "FollowUp_dealId_idx" ON "FollowUp"("dealId");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_createdAt_idx" ON "Notification"("userId", "readAt", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_digestedAt_createdAt_idx" ON "Notification"("digestedAt", "createdAt");

-- CreateIndex
CREATE INDEX "EmailMessage_status_createdAt_idx" ON "EmailMessage"("status", "createdAt");

-- CreateIndex
CREATE INDEX "EmailMessage_createdAt_idx" ON "EmailMessage"("createdAt");

-- CreateIndex
CREATE INDEX "SavedSearch_userId_idx" ON "SavedSearch"("userId");

-- CreateIndex
CREATE INDEX "SavedSearch_alert_lastCheckedAt_idx" ON "SavedSearch"("alert", "lastCheckedAt");

-- CreateIndex
CREATE INDEX "Demand_leadBrokerId_idx" ON "Demand"("leadBrokerId");

-- CreateIndex
CREATE INDEX "Demand_minedById_idx" ON "Demand"("minedById");

-- AddForeignKey
ALTER TABLE "Demand" ADD CONSTRAINT "Demand_minedById_fkey" FOREIGN KEY ("minedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Demand" ADD CONSTRAINT "Demand_leadBrokerId_fkey" FOREIGN KEY ("leadBrokerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DemandAssist" ADD CONSTRAINT "DemandAssist_demandId_fkey" FOREIGN KEY ("demandId") REFERENCES "Demand"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DemandAssist" ADD CONSTRAINT "DemandAssist_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrokerProfile" ADD CONSTRAINT "BrokerProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrokerProfile" ADD CONSTRAINT "BrokerProfile_verifiedById_fkey" FOREIGN KEY ("verifiedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_demandId_fkey" FOREIGN KEY ("demandId") REFERENCES "Demand"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_buyerOrgId_fkey" FOREIGN KEY ("buyerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealCandidate" ADD CONSTRAINT "DealCandidate_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealCandidate" ADD CONSTRAINT "DealCandidate_sellerOrgId_fkey" FOREIGN KEY ("sellerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealMember" ADD CONSTRAINT "DealMember_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealMember" ADD CONSTRAINT "DealMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealMessage" ADD CONSTRAINT "DealMessage_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealMessage" ADD CONSTRAINT "DealMessage_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealAttachment" ADD CONSTRAINT "DealAttachment_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "DealMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealRead" ADD CONSTRAINT "DealRead_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealRead" ADD CONSTRAINT "DealRead_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealEvent" ADD CONSTRAINT "DealEvent_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealEvent" ADD CONSTRAINT "DealEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Nda" ADD CONSTRAINT "Nda_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Nda" ADD CONSTRAINT "Nda_sellerOrgId_fkey" FOREIGN KEY ("sellerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Nda" ADD CONSTRAINT "Nda_templateVersion_fkey" FOREIGN KEY ("templateVersion") REFERENCES "NdaTemplate"("version") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NdaAcceptance" ADD CONSTRAINT "NdaAcceptance_ndaId_fkey" FOREIGN KEY ("ndaId") REFERENCES "Nda"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NdaAcceptance" ADD CONSTRAINT "NdaAcceptance_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConfidentialGrant" ADD CONSTRAINT "ConfidentialGrant_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConfidentialGrant" ADD CONSTRAINT "ConfidentialGrant_ndaId_fkey" FOREIGN KEY ("ndaId") REFERENCES "Nda"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationSettings" ADD CONSTRAINT "NotificationSettings_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedSearch" ADD CONSTRAINT "SavedSearch_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedSearchHit" ADD CONSTRAINT "SavedSearchHit_savedSearchId_fkey" FOREIGN KEY ("savedSearchId") REFERENCES "SavedSearch"("id") ON DELETE CASCADE ON UPDATE CASCADE;
