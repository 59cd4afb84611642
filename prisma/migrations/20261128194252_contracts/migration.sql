-- CreateEnum
CREATE TYPE "ContractType" AS ENUM ('DEVELOPMENT', 'TRANSFER', 'LICENSE', 'CONSULTING', 'SERVICE');

-- CreateEnum
CREATE TYPE "ContractSubtype" AS ENUM ('DEV_COMMISSIONED', 'DEV_COOPERATIVE', 'TRANSFER_PATENT', 'TRANSFER_PATENT_APPLICATION', 'TRANSFER_TECH_SECRET', 'TRANSFER_OTHER', 'LICENSE_PATENT', 'LICENSE_TECH_SECRET', 'CONSULTING', 'SERVICE_GENERAL', 'SERVICE_TRAINING', 'SERVICE_INTERMEDIARY');

-- CreateEnum
CREATE TYPE "LicenseExclusivity" AS ENUM ('EXCLUSIVE', 'SOLE', 'ORDINARY');

-- CreateEnum
CREATE TYPE "PaymentMethod" AS ENUM ('LUMP_SUM', 'INSTALMENTS', 'ROYALTY');

-- CreateEnum
CREATE TYPE "ContractStatus" AS ENUM ('DRAFT', 'AWAITING_CONFIRMATION', 'SIGNED', 'REGISTRATION_SUBMITTED', 'REGISTERED', 'NOT_REGISTERED', 'COMPLETED', 'TERMINATED');

-- CreateEnum
CREATE TYPE "ContractParty" AS ENUM ('SELLER', 'BUYER');

-- CreateEnum
CREATE TYPE "RegistrationRules" AS ENUM ('RULES_2000', 'RULES_2026');

-- CreateEnum
CREATE TYPE "MilestoneStatus" AS ENUM ('PENDING', 'CHECKOUT_OPEN', 'RECEIPT_UPLOADED', 'PAID', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PaymentChannel" AS ENUM ('STRIPE', 'BANK_TRANSFER');

-- CreateEnum
CREATE TYPE "CommissionBasis" AS ENUM ('PERCENT', 'FIXED');

-- CreateEnum
CREATE TYPE "CommissionStatus" AS ENUM ('DUE', 'PAID');

-- CreateTable
CREATE TABLE "Contract" (
    "id" TEXT NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "type" "ContractType" NOT NULL,
    "subtype" "ContractSubtype" NOT NULL,
    "exclusivity" "LicenseExclusivity",
    "sellerOrgId" TEXT NOT NULL,
    "buyerOrgId" TEXT NOT NULL,
    "sellerKind" "OrgKind" NOT NULL,
    "sellerRegion" CHAR(6) NOT NULL,
    "buyerKind" "OrgKind" NOT NULL,
    "buyerRegion" CHAR(6) NOT NULL,
    "brokerId" TEXT,
    "brokerOrgId" TEXT,
    "achievementId" TEXT,
    "demandId" TEXT,
    "scenarioId" TEXT,
    "matchId" TEXT,
    "field" "TechField",
    "industry" "Industry",
    "ipType" "IpType",
    "ipNumbers" TEXT[],
    "amountFen" BIGINT NOT NULL,
    "techAmountFen" BIGINT NOT NULL,
    "paymentMethod" "PaymentMethod" NOT NULL,
    "royaltyRateBp" INTEGER,
    "entryFeeFen" BIGINT,
    "termStart" DATE,
    "termEnd" DATE,
    "currentVersion" INTEGER NOT NULL DEFAULT 1,
    "status" "ContractStatus" NOT NULL DEFAULT 'DRAFT',
    "signedAt" TIMESTAMP(3),
    "registrationSubmittedAt" TIMESTAMP(3),
    "registrationNumber" VARCHAR(64),
    "registeredAt" TIMESTAMP(3),
    "registeredById" TEXT,
    "registrationRules" "RegistrationRules",
    "registeredTechAmountFen" BIGINT,
    "registeredType" "ContractType",
    "registeredSubtype" "ContractSubtype",
    "notRegisteredReason" VARCHAR(1000),
    "completedAt" TIMESTAMP(3),
    "terminatedAt" TIMESTAMP(3),
    "terminationReason" VARCHAR(1000),
    "commissionBasis" "CommissionBasis",
    "commissionRateBp" INTEGER,
    "commissionFixedFen" BIGINT,
    "createdById" TEXT,
    "source" VARCHAR(64),
    "externalId" VARCHAR(128),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractVersion" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "terms" JSONB NOT NULL,
    "termsText" TEXT NOT NULL,
    "termsHash" CHAR(64) NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContractVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractConfirmation" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "party" "ContractParty" NOT NULL,
    "orgId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "userName" VARCHAR(100) NOT NULL,
    "ip" VARCHAR(64),
    "termsHash" CHAR(64) NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContractConfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Milestone" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "dueDate" DATE NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "status" "MilestoneStatus" NOT NULL DEFAULT 'PENDING',
    "paidAt" TIMESTAMP(3),
    "paidVia" "PaymentChannel",
    "stripeSessionId" VARCHAR(255),
    "stripePaymentIntentId" VARCHAR(255),
    "receiptPath" TEXT,
    "receiptName" VARCHAR(255),
    "receiptMime" VARCHAR(100),
    "receiptUploadedAt" TIMESTAMP(3),
    "confirmedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeEvent" (
    "id" VARCHAR(255) NOT NULL,
    "type" VARCHAR(100) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "StripeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommissionEntry" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "milestoneId" TEXT,
    "brokerId" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "status" "CommissionStatus" NOT NULL DEFAULT 'DUE',
    "paidAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommissionEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Target" (
    "year" INTEGER NOT NULL,
    "turnoverFen" BIGINT NOT NULL,
    "contractCount" INTEGER NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Target_pkey" PRIMARY KEY ("year")
);

-- CreateIndex
CREATE UNIQUE INDEX "Contract_number_key" ON "Contract"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_registrationNumber_key" ON "Contract"("registrationNumber");

-- CreateIndex
CREATE INDEX "Contract_status_registeredAt_idx" ON "Contract"("status", "registeredAt");

-- CreateIndex
CREATE INDEX "Contract_sellerOrgId_idx" ON "Contract"("sellerOrgId");

-- CreateIndex
CREATE INDEX "Contract_buyerOrgId_idx" ON "Contract"("buyerOrgId");

-- CreateIndex
CREATE INDEX "Contract_brokerId_idx" ON "Contract"("brokerId");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_source_externalId_key" ON "Contract"("source", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "ContractVersion_contractId_version_key" ON "ContractVersion"("contractId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ContractConfirmation_contractId_version_party_key" ON "ContractConfirmation"("contractId", "version", "party");

-- CreateIndex
CREATE UNIQUE INDEX "Milestone_stripeSessionId_key" ON "Milestone"("stripeSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Milestone_contractId_seq_key" ON "Milestone"("contractId", "seq");

-- CreateIndex
CREATE INDEX "CommissionEntry_brokerId_status_idx" ON "CommissionEntry"("brokerId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "CommissionEntry_contractId_milestoneId_key" ON "CommissionEntry"("contractId", "milestoneId");

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_sellerOrgId_fkey" FOREIGN KEY ("sellerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_buyerOrgId_fkey" FOREIGN KEY ("buyerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_brokerOrgId_fkey" FOREIGN KEY ("brokerOrgId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractVersion" ADD CONSTRAINT "ContractVersion_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractConfirmation" ADD CONSTRAINT "ContractConfirmation_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommissionEntry" ADD CONSTRAINT "CommissionEntry_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommissionEntry" ADD CONSTRAINT "CommissionEntry_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone"("id") ON DELETE SET NULL ON UPDATE CASCADE;
