-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('telegram', 'discord', 'web');

-- CreateEnum
CREATE TYPE "UserStatus" AS ENUM ('offline', 'searching', 'chatting');

-- CreateEnum
CREATE TYPE "EndReason" AS ENUM ('stop', 'next', 'idle', 'unreachable', 'banned', 'data_deleted', 'error');

-- CreateEnum
CREATE TYPE "ReportCategory" AS ENUM ('harassment', 'spam', 'sexual', 'minor_safety', 'other');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('open', 'dismissed', 'actioned');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "external_id" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "status" "UserStatus" NOT NULL DEFAULT 'offline',
    "interests" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "language" TEXT,
    "last_session_id" TEXT,
    "suspended_at" TIMESTAMPTZ(3),
    "data_deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "user_a_id" UUID NOT NULL,
    "user_b_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" "EndReason",
    "ended_by_id" UUID,
    "score" DOUBLE PRECISION,
    "shared_interests" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "waited_ms_a" INTEGER,
    "waited_ms_b" INTEGER,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "sender_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT,
    "file_id" TEXT,
    "content" JSONB,
    "album_id" TEXT,
    "orig_chat_id" TEXT NOT NULL,
    "orig_message_id" TEXT NOT NULL,
    "copy_chat_id" TEXT,
    "copy_message_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "edited_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),
    "purged_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "rating" INTEGER NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "reporter_id" UUID NOT NULL,
    "reported_id" UUID NOT NULL,
    "category" "ReportCategory" NOT NULL,
    "comment" TEXT,
    "status" "ReportStatus" NOT NULL DEFAULT 'open',
    "resolution" TEXT,
    "resolved_by_id" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "snapshot" JSONB NOT NULL,
    "snapshot_purged_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ban" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "moderator_id" UUID,
    "starts_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "until" TIMESTAMPTZ(3),
    "lifted_at" TIMESTAMPTZ(3),
    "lifted_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Ban_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Block" (
    "blocker_id" UUID NOT NULL,
    "blocked_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Block_pkey" PRIMARY KEY ("blocker_id","blocked_id")
);

-- CreateTable
CREATE TABLE "ModeratorAction" (
    "id" UUID NOT NULL,
    "moderator_id" UUID,
    "action" TEXT NOT NULL,
    "target_user_id" UUID,
    "report_id" UUID,
    "reason" TEXT,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModeratorAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppSetting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AppSetting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_handle_key" ON "User"("handle");

-- CreateIndex
CREATE INDEX "User_status_idx" ON "User"("status");

-- CreateIndex
CREATE UNIQUE INDEX "User_platform_external_id_key" ON "User"("platform", "external_id");

-- CreateIndex
CREATE INDEX "Session_user_a_id_started_at_idx" ON "Session"("user_a_id", "started_at");

-- CreateIndex
CREATE INDEX "Session_user_b_id_started_at_idx" ON "Session"("user_b_id", "started_at");

-- CreateIndex
CREATE INDEX "Session_started_at_idx" ON "Session"("started_at");

-- CreateIndex
CREATE INDEX "Message_session_id_created_at_idx" ON "Message"("session_id", "created_at");

-- CreateIndex
CREATE INDEX "Message_session_id_sender_id_idx" ON "Message"("session_id", "sender_id");

-- CreateIndex
CREATE INDEX "Message_orig_chat_id_orig_message_id_idx" ON "Message"("orig_chat_id", "orig_message_id");

-- CreateIndex
CREATE INDEX "Message_copy_chat_id_copy_message_id_idx" ON "Message"("copy_chat_id", "copy_message_id");

-- CreateIndex
CREATE INDEX "Message_created_at_idx" ON "Message"("created_at");

-- CreateIndex
CREATE INDEX "Feedback_created_at_idx" ON "Feedback"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_session_id_user_id_key" ON "Feedback"("session_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "Report_session_id_reporter_id_key" ON "Report"("session_id", "reporter_id");

-- CreateIndex
CREATE INDEX "Report_status_created_at_idx" ON "Report"("status", "created_at");

-- CreateIndex
CREATE INDEX "Report_reported_id_created_at_idx" ON "Report"("reported_id", "created_at");

-- CreateIndex
CREATE INDEX "Report_reporter_id_idx" ON "Report"("reporter_id");

-- CreateIndex
CREATE INDEX "Ban_user_id_lifted_at_until_idx" ON "Ban"("user_id", "lifted_at", "until");

-- CreateIndex
CREATE INDEX "Block_blocked_id_idx" ON "Block"("blocked_id");

-- CreateIndex
CREATE INDEX "ModeratorAction_target_user_id_created_at_idx" ON "ModeratorAction"("target_user_id", "created_at");

-- CreateIndex
CREATE INDEX "ModeratorAction_created_at_idx" ON "ModeratorAction"("created_at");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_last_session_id_fkey" FOREIGN KEY ("last_session_id") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_user_a_id_fkey" FOREIGN KEY ("user_a_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_user_b_id_fkey" FOREIGN KEY ("user_b_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_ended_by_id_fkey" FOREIGN KEY ("ended_by_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_sender_id_fkey" FOREIGN KEY ("sender_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_reporter_id_fkey" FOREIGN KEY ("reporter_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_reported_id_fkey" FOREIGN KEY ("reported_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_resolved_by_id_fkey" FOREIGN KEY ("resolved_by_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ban" ADD CONSTRAINT "Ban_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ban" ADD CONSTRAINT "Ban_moderator_id_fkey" FOREIGN KEY ("moderator_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ban" ADD CONSTRAINT "Ban_lifted_by_id_fkey" FOREIGN KEY ("lifted_by_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Block" ADD CONSTRAINT "Block_blocker_id_fkey" FOREIGN KEY ("blocker_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Block" ADD CONSTRAINT "Block_blocked_id_fkey" FOREIGN KEY ("blocked_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModeratorAction" ADD CONSTRAINT "ModeratorAction_moderator_id_fkey" FOREIGN KEY ("moderator_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModeratorAction" ADD CONSTRAINT "ModeratorAction_target_user_id_fkey" FOREIGN KEY ("target_user_id") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModeratorAction" ADD CONSTRAINT "ModeratorAction_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "Report"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below this line: CHECK constraints cannot be expressed in schema.prisma.
-- The drift test (test/integration/db/schema-drift.test.ts) lists them as known extras.

-- AddCheckConstraint
ALTER TABLE "Session" ADD CONSTRAINT "Session_id_check" CHECK ("id" ~ '^session_[0-9a-f]{10}$');

-- AddCheckConstraint
ALTER TABLE "User" ADD CONSTRAINT "User_handle_check" CHECK ("handle" ~ '^u_[0-9a-f]{6}$');

-- AddCheckConstraint
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_rating_check" CHECK ("rating" BETWEEN 1 AND 5);
