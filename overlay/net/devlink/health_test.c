// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KUnit suite "devlink_health_state": the recovery decision of the devlink
 * health core, table driven, and the reporter state machine through the
 * real report path, on a devlink instance that is allocated but never
 * registered (so no notification leaves the test) and a clock the test
 * drives through a static stub.
 *
 * The stub only answers in the test's own thread: the deferred work of
 * devlink_health_report_nowait() runs in a kworker and reads the real
 * jiffies, so the cases of deferred reports do not depend on the time.
 */

#include <kunit/device.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <kunit/visibility.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <net/devlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "devl_internal.h"
#include "health.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* ----- the recovery decision, as a pure function ----- */

/**
 * struct health_decision_case - one recovery decision
 * @desc: case name
 * @in: inputs; @in.last_recovery_ts is the origin of time
 * @elapsed_ms: time since the last recovery, in ms ...
 * @elapsed_delta: ... plus this many jiffies, to land next to an edge
 * @decision: expected decision
 */
struct health_decision_case {
	const char *desc;
	struct devlink_health_recover_input in;
	unsigned int elapsed_ms;
	long elapsed_delta;
	enum devlink_health_decision decision;
};

#define HEALTHY		DEVLINK_HEALTH_REPORTER_STATE_HEALTHY
#define IN_ERROR	DEVLINK_HEALTH_REPORTER_STATE_ERROR

#define INPUT(_state, _auto, _count, _last, _grace) {			\
	.prev_state = (_state),						\
	.auto_recover = (_auto),					\
	.recovery_count = (_count),					\
	.last_recovery_ts = (_last),					\
	.graceful_period = (_grace),					\
}

/*
 * A healthy reporter with auto-recover on, @_count recoveries so far, the
 * last burst window opened at @_last, and a grace and a burst period.
 */
#define BURST_INPUT(_count, _last, _grace, _burst) {			\
	.prev_state = HEALTHY,						\
	.auto_recover = true,						\
	.recovery_count = (_count),					\
	.last_recovery_ts = (_last),					\
	.graceful_period = (_grace),					\
	.burst_period = (_burst),					\
}

/*
 * Burst window of 500 ms followed by a grace period of 1000 ms: 500, 1000
 * and 1500 ms are whole numbers of jiffies at the usual HZ values, so the
 * edges below land exactly on the ones the decision computes.
 */
#define T_BURST		500
#define T_GRACE		1000

static const struct health_decision_case health_decision_cases[] = {
	{
		.desc = "first recovery ignores the grace period",
		.in = INPUT(HEALTHY, true, 0, 0, 1000),
		.elapsed_ms = 1000, .elapsed_delta = -1,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "just before grace expiry is cancelled",
		.in = INPUT(HEALTHY, true, 1, 5000, 1000),
		.elapsed_ms = 1000, .elapsed_delta = -1,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	}, {
		.desc = "exactly at grace expiry recovers",
		.in = INPUT(HEALTHY, true, 1, 5000, 1000),
		.elapsed_ms = 1000, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "at the last recovery instant is cancelled",
		.in = INPUT(HEALTHY, true, 3, 5000, 1000),
		.elapsed_ms = 0, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	}, {
		.desc = "jiffies wrap inside the grace period is cancelled",
		.in = INPUT(HEALTHY, true, 1, ULONG_MAX - 2, 1000),
		.elapsed_ms = 1000, .elapsed_delta = -1,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	}, {
		.desc = "jiffies wrap at grace expiry recovers",
		.in = INPUT(HEALTHY, true, 1, ULONG_MAX - 2, 1000),
		.elapsed_ms = 1000, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "no grace period recovers at once",
		.in = INPUT(HEALTHY, true, 7, 5000, 0),
		.elapsed_ms = 0, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "grace period beyond 32 bits of ms saturates",
		.in = INPUT(HEALTHY, true, 1, 5000, (1ULL << 32) + 1000),
		.elapsed_ms = 2000, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	}, {
		.desc = "unrecovered previous error is cancelled",
		.in = INPUT(IN_ERROR, true, 1, 5000, 1000),
		.elapsed_ms = 3000, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_UNRECOVERED,
	}, {
		.desc = "unrecovered error before any recovery is cancelled",
		.in = INPUT(IN_ERROR, true, 0, 0, 0),
		.elapsed_ms = 0, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_UNRECOVERED,
	}, {
		.desc = "auto recover off never recovers nor cancels",
		.in = INPUT(IN_ERROR, false, 1, 5000, 1000),
		.elapsed_ms = 0, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_MANUAL,
	}, {
		.desc = "auto recover off inside the grace period",
		.in = INPUT(HEALTHY, false, 1, 5000, 1000),
		.elapsed_ms = 1000, .elapsed_delta = -1,
		.decision = DEVLINK_HEALTH_DECISION_MANUAL,
	}, {
		.desc = "burst: at the recovery that opened the window recovers",
		.in = BURST_INPUT(1, 5000, T_GRACE, T_BURST),
		.elapsed_ms = 0, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "burst: one jiffy before the window ends recovers",
		.in = BURST_INPUT(4, 5000, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST, .elapsed_delta = -1,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "burst: exactly at the window end the grace period starts",
		.in = BURST_INPUT(4, 5000, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	}, {
		.desc = "burst: one jiffy after the window end is cancelled",
		.in = BURST_INPUT(4, 5000, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST, .elapsed_delta = 1,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	}, {
		.desc = "burst: one jiffy before the grace period ends is cancelled",
		.in = BURST_INPUT(4, 5000, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST + T_GRACE, .elapsed_delta = -1,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	}, {
		.desc = "burst: exactly at the grace period end recovers",
		.in = BURST_INPUT(4, 5000, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST + T_GRACE, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "burst: one jiffy after the grace period end recovers",
		.in = BURST_INPUT(4, 5000, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST + T_GRACE, .elapsed_delta = 1,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "burst: jiffies wrap one jiffy before the window end",
		.in = BURST_INPUT(2, ULONG_MAX - 2, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST, .elapsed_delta = -1,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "burst: jiffies wrap at the window end",
		.in = BURST_INPUT(2, ULONG_MAX - 2, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	}, {
		.desc = "burst: jiffies wrap one jiffy before the grace period end",
		.in = BURST_INPUT(2, ULONG_MAX - 2, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST + T_GRACE, .elapsed_delta = -1,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	}, {
		.desc = "burst: jiffies wrap at the grace period end",
		.in = BURST_INPUT(2, ULONG_MAX - 2, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST + T_GRACE, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "burst: no window before the first recovery",
		.in = BURST_INPUT(0, 0, T_GRACE, T_BURST),
		.elapsed_ms = T_BURST, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "burst: the window does not excuse an unrecovered error",
		.in = INPUT(IN_ERROR, true, 1, 5000, T_GRACE),
		.elapsed_ms = 0, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_UNRECOVERED,
	}, {
		.desc = "burst period beyond 32 bits of ms saturates",
		.in = BURST_INPUT(1, 5000, T_GRACE, (1ULL << 32) + 1000),
		.elapsed_ms = 2000, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "burst without grace period never cancels",
		.in = BURST_INPUT(3, 5000, 0, T_BURST),
		.elapsed_ms = T_BURST, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_RECOVER,
	}, {
		.desc = "error with a deferred recovery in flight coalesces",
		.in = { .prev_state = IN_ERROR, .auto_recover = true,
			  .recover_inflight = true, .recovery_count = 1,
			  .last_recovery_ts = 5000, .graceful_period = 1000 },
		.elapsed_ms = 0, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_COALESCED,
	}, {
		.desc = "auto recover off with a recovery in flight",
		.in = { .prev_state = IN_ERROR, .auto_recover = false,
			  .recover_inflight = true },
		.elapsed_ms = 0, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_MANUAL,
	}, {
		.desc = "healthy with a recovery in flight is decided as usual",
		.in = { .prev_state = HEALTHY, .auto_recover = true,
			  .recover_inflight = true, .recovery_count = 1,
			  .last_recovery_ts = 5000, .graceful_period = 1000 },
		.elapsed_ms = 500, .elapsed_delta = 0,
		.decision = DEVLINK_HEALTH_DECISION_GRACE,
	},
};

KUNIT_ARRAY_PARAM_DESC(health_decision, health_decision_cases, desc);

static void health_recover_decides(struct kunit *test)
{
	const struct health_decision_case *c = test->param_value;
	unsigned long now;

	/* unsigned arithmetic: wraps like jiffies do */
	now = c->in.last_recovery_ts + msecs_to_jiffies(c->elapsed_ms) +
	      c->elapsed_delta;
	KUNIT_EXPECT_EQ(test, devlink_health_recover_decide(&c->in, now),
			c->decision);
}

/* ----- the state machine, through the real report path ----- */

/*
 * Start of the fake clock: one second before jiffies wrap, so that every
 * grace period below crosses the wrap.
 */
#define HEALTH_FAKE_T0	((unsigned long)-HZ)
#define HEALTH_GRACE_MS	1000

struct health_state_fake {
	struct devlink *devlink;
	unsigned long now;
	int recover_calls;
	int recover_ret;
	void *recover_ctx;
	int dump_calls;
	int dump_ret;
	int reports_in_recover;
};

static const struct devlink_ops health_state_devlink_ops = {};

static unsigned long health_state_fake_now(void)
{
	struct health_state_fake *fake = kunit_get_current_test()->priv;

	return fake->now;
}

static int health_state_recover(struct devlink_health_reporter *reporter,
				void *priv_ctx, struct netlink_ext_ack *extack)
{
	struct health_state_fake *fake = devlink_health_reporter_priv(reporter);
	int i;

	fake->recover_calls++;
	fake->recover_ctx = priv_ctx;
	/* errors that the device raises while the first recovery resets it */
	if (fake->recover_calls == 1)
		for (i = 0; i < fake->reports_in_recover; i++)
			devlink_health_report_nowait(reporter, "during the recovery");
	return fake->recover_ret;
}

static int health_state_dump(struct devlink_health_reporter *reporter,
			     struct devlink_fmsg *fmsg, void *priv_ctx,
			     struct netlink_ext_ack *extack)
{
	struct health_state_fake *fake = devlink_health_reporter_priv(reporter);

	fake->dump_calls++;
	devlink_fmsg_u32_pair_put(fmsg, "dump_calls", fake->dump_calls);
	return fake->dump_ret;
}

static const struct devlink_health_reporter_ops health_state_bare_ops = {
	.name = "bare",
};

static const struct devlink_health_reporter_ops health_state_recover_ops = {
	.name = "recovering",
	.recover = health_state_recover,
};

static const struct devlink_health_reporter_ops health_state_dump_ops = {
	.name = "dumping",
	.dump = health_state_dump,
};

static const struct devlink_health_reporter_ops health_state_full_ops = {
	.name = "full",
	.recover = health_state_recover,
	.dump = health_state_dump,
};

static void health_state_devlink_free(void *devlink)
{
	devlink_free(devlink);
}

static int health_state_init(struct kunit *test)
{
	struct health_state_fake *fake;
	struct device *dev;
	int err;

	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake);
	fake->now = HEALTH_FAKE_T0;
	test->priv = fake;

	dev = kunit_device_register(test, "devlink-health-state");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	fake->devlink = devlink_alloc(&health_state_devlink_ops, 0, dev);
	KUNIT_ASSERT_NOT_NULL(test, fake->devlink);
	err = kunit_add_action_or_reset(test, health_state_devlink_free,
					fake->devlink);
	KUNIT_ASSERT_EQ(test, err, 0);

	kunit_activate_static_stub(test, devlink_health_now,
				   health_state_fake_now);
	return 0;
}

static void health_state_reporter_destroy(void *reporter)
{
	devlink_health_reporter_destroy(reporter);
}

/* A reporter on the fake instance, destroyed by the test's cleanup. */
static struct devlink_health_reporter *
health_state_reporter(struct kunit *test,
		      const struct devlink_health_reporter_ops *ops, u64 grace)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;
	int err;

	reporter = devlink_health_reporter_create(fake->devlink, ops, grace,
						  fake);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, reporter);
	err = kunit_add_action_or_reset(test, health_state_reporter_destroy,
					reporter);
	KUNIT_ASSERT_EQ(test, err, 0);
	return reporter;
}

/* What a reporter shows user space, copied under its lock: one moment. */
struct health_state_snapshot {
	enum devlink_health_reporter_state state;
	u64 error_count;
	u64 recovery_count;
	struct devlink_health_config cfg;
	bool dump_stored;
	unsigned long dump_ts;
};

static struct health_state_snapshot
health_state_snap(struct devlink_health_reporter *reporter)
{
	struct health_state_snapshot snap;
	unsigned long flags;

	raw_spin_lock_irqsave(&reporter->lock, flags);
	snap.state = reporter->health_state;
	snap.error_count = reporter->error_count;
	snap.recovery_count = reporter->recovery_count;
	snap.cfg = reporter->cfg;
	snap.dump_stored = reporter->dump_fmsg;
	snap.dump_ts = reporter->dump_ts;
	raw_spin_unlock_irqrestore(&reporter->lock, flags);
	return snap;
}

/* The dump generation, which DUMP_GET reads to detect a changed dump. */
static u64 health_state_dump_gen(struct devlink_health_reporter *reporter)
{
	u64 gen;

	devl_lock(reporter->devlink);
	gen = reporter->dump_gen;
	devl_unlock(reporter->devlink);
	return gen;
}

/* When the current burst window opened: the origin of the grace period. */
static unsigned long health_state_last_recovery(struct devlink_health_reporter *reporter)
{
	unsigned long flags, ts;

	raw_spin_lock_irqsave(&reporter->lock, flags);
	ts = reporter->last_recovery_ts;
	raw_spin_unlock_irqrestore(&reporter->lock, flags);
	return ts;
}

static void health_state_config(struct devlink_health_reporter *reporter,
				bool auto_recover, bool auto_dump)
{
	struct devlink_health_config cfg;

	devl_lock(reporter->devlink);
	devlink_health_config_get(reporter, &cfg);
	cfg.auto_recover = auto_recover;
	cfg.auto_dump = auto_dump;
	devlink_health_config_set(reporter, &cfg);
	devl_unlock(reporter->devlink);
}

static void health_state_defaults_follow_ops(struct kunit *test)
{
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_bare_ops, 0);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_FALSE(test, snap.cfg.auto_recover);
	KUNIT_EXPECT_FALSE(test, snap.cfg.auto_dump);
	KUNIT_EXPECT_EQ(test, snap.state, HEALTHY);

	reporter = health_state_reporter(test, &health_state_full_ops,
					 HEALTH_GRACE_MS);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_TRUE(test, snap.cfg.auto_recover);
	KUNIT_EXPECT_TRUE(test, snap.cfg.auto_dump);
	KUNIT_EXPECT_EQ(test, snap.cfg.graceful_period, HEALTH_GRACE_MS);
	KUNIT_EXPECT_FALSE(test, snap.dump_stored);
}

static void health_state_report_counts_and_enters_error(struct kunit *test)
{
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_bare_ops, 0);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL), 0);

	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, snap.state, IN_ERROR);
	KUNIT_EXPECT_EQ(test, snap.error_count, 2);
	KUNIT_EXPECT_EQ(test, snap.recovery_count, 0);
}

/* One step of the log rate limit, as a report takes it. */
static bool health_state_log_step(struct devlink_health_reporter *reporter,
				  unsigned int *missed)
{
	struct health_state_fake *fake = kunit_get_current_test()->priv;
	bool allowed;

	raw_spin_lock_irq(&reporter->lock);
	allowed = devlink_health_log_allowed(reporter, fake->now, missed);
	raw_spin_unlock_irq(&reporter->lock);
	return allowed;
}

/*
 * A storm gets DEVLINK_HEALTH_LOG_BURST lines a window; the first line of
 * a later window carries the count of the lines suppressed, once.
 */
static void health_state_log_rate_limit(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter, *other;
	unsigned int missed, lines = 0, i;

	reporter = health_state_reporter(test, &health_state_bare_ops, 0);
	other = health_state_reporter(test, &health_state_recover_ops, 0);
	for (i = 0; i < DEVLINK_HEALTH_LOG_BURST + 15; i++) {
		lines += health_state_log_step(reporter, &missed);
		KUNIT_EXPECT_EQ(test, missed, 0);
	}
	KUNIT_EXPECT_EQ(test, lines, DEVLINK_HEALTH_LOG_BURST);
	/* another reporter has a budget of its own */
	KUNIT_EXPECT_TRUE(test, health_state_log_step(other, &missed));

	fake->now += DEVLINK_HEALTH_LOG_INTERVAL - 1;
	KUNIT_EXPECT_FALSE(test, health_state_log_step(reporter, &missed));
	fake->now++;
	KUNIT_EXPECT_TRUE(test, health_state_log_step(reporter, &missed));
	KUNIT_EXPECT_EQ(test, missed, 16);
	KUNIT_EXPECT_TRUE(test, health_state_log_step(reporter, &missed));
	KUNIT_EXPECT_EQ(test, missed, 0);
}

static void health_state_auto_recover_heals(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_recover_ops, 0);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);

	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
	KUNIT_EXPECT_EQ(test, snap.state, HEALTHY);
	KUNIT_EXPECT_EQ(test, snap.error_count, 1);
	KUNIT_EXPECT_EQ(test, snap.recovery_count, 1);
	KUNIT_EXPECT_EQ(test, health_state_last_recovery(reporter),
			HEALTH_FAKE_T0);
}

static void health_state_grace_period_on_fake_clock(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_recover_ops,
					 HEALTH_GRACE_MS);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);

	fake->now += msecs_to_jiffies(HEALTH_GRACE_MS) - 1;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).state, IN_ERROR);

	/* the driver heals it; the grace period ends on the next tick */
	devlink_health_reporter_state_update(reporter, HEALTHY);
	fake->now++;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e3", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 2);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).recovery_count, 2);
}

static void health_state_unrecovered_error_cancels(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;
	int err;

	fake->recover_ret = -EIO;
	reporter = health_state_reporter(test, &health_state_recover_ops, 0);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL),
			-EIO);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, snap.state, IN_ERROR);
	KUNIT_EXPECT_EQ(test, snap.recovery_count, 0);

	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);

	/* a recovery the user asks for heals it and allows recoveries again */
	fake->recover_ret = 0;
	devl_lock(fake->devlink);
	err = devlink_health_recover(reporter, NULL, NULL);
	devl_unlock(fake->devlink);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).state, HEALTHY);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e3", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 3);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).error_count, 3);
}

/*
 * A recovery asked of a healthy reporter succeeds without calling the op,
 * even when there is no op: 6.12 answers 0 there, not -EOPNOTSUPP.
 */
static void health_state_recover_when_healthy_is_noop(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter, *bare;
	int err, bare_err;

	reporter = health_state_reporter(test, &health_state_recover_ops, 0);
	bare = health_state_reporter(test, &health_state_bare_ops, 0);
	devl_lock(fake->devlink);
	err = devlink_health_recover(reporter, NULL, NULL);
	bare_err = devlink_health_recover(bare, NULL, NULL);
	devl_unlock(fake->devlink);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, bare_err, 0);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).recovery_count, 0);
}

static void health_state_auto_recover_off_stays_in_error(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_recover_ops, 0);
	health_state_config(reporter, false, false);

	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	/* already in error: still not a cancellation when auto is off */
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).state, IN_ERROR);
}

static void health_state_recovery_done_starts_grace(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_recover_ops,
					 HEALTH_GRACE_MS);
	devlink_health_reporter_recovery_done(reporter);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, snap.recovery_count, 1);
	KUNIT_EXPECT_EQ(test, snap.state, HEALTHY);
	KUNIT_EXPECT_EQ(test, health_state_last_recovery(reporter),
			HEALTH_FAKE_T0);

	fake->now++;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
}

static void health_state_update_changes_state_only(struct kunit *test)
{
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_bare_ops, 0);
	devlink_health_reporter_state_update(reporter, IN_ERROR);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, snap.state, IN_ERROR);
	KUNIT_EXPECT_EQ(test, snap.error_count, 0);

	devlink_health_reporter_state_update(reporter, HEALTHY);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, snap.state, HEALTHY);
	KUNIT_EXPECT_EQ(test, snap.recovery_count, 0);
}

static void health_state_auto_dump_keeps_first(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_dump_ops, 0);
	KUNIT_EXPECT_EQ(test, health_state_dump_gen(reporter), 0);

	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 1);
	KUNIT_EXPECT_TRUE(test, snap.dump_stored);
	KUNIT_EXPECT_EQ(test, snap.dump_ts, HEALTH_FAKE_T0);
	KUNIT_EXPECT_EQ(test, health_state_dump_gen(reporter), 1);

	fake->now++;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL), 0);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 1);
	KUNIT_EXPECT_EQ(test, snap.dump_ts, HEALTH_FAKE_T0);
	KUNIT_EXPECT_EQ(test, health_state_dump_gen(reporter), 1);
}

static void health_state_dump_clear_bumps_generation(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_dump_ops, 0);

	/* nothing stored: nothing changes for a reader */
	devl_lock(fake->devlink);
	devlink_health_dump_clear(reporter);
	devl_unlock(fake->devlink);
	KUNIT_EXPECT_EQ(test, health_state_dump_gen(reporter), 0);

	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, health_state_dump_gen(reporter), 1);

	devl_lock(fake->devlink);
	devlink_health_dump_clear(reporter);
	devl_unlock(fake->devlink);
	KUNIT_EXPECT_FALSE(test, health_state_snap(reporter).dump_stored);
	KUNIT_EXPECT_EQ(test, health_state_dump_gen(reporter), 2);

	/* cleared: the next report stores a new dump, a new generation */
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 2);
	KUNIT_EXPECT_TRUE(test, health_state_snap(reporter).dump_stored);
	KUNIT_EXPECT_EQ(test, health_state_dump_gen(reporter), 3);
}

static void health_state_auto_dump_off_takes_none(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_dump_ops, 0);
	health_state_config(reporter, false, false);

	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 0);
	KUNIT_EXPECT_FALSE(test, health_state_snap(reporter).dump_stored);
	KUNIT_EXPECT_EQ(test, health_state_dump_gen(reporter), 0);
}

static void health_state_failed_dump_stores_nothing(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	fake->dump_ret = -EIO;
	reporter = health_state_reporter(test, &health_state_full_ops, 0);

	/* the dump failure is not the report's: recovery still runs */
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 1);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
	KUNIT_EXPECT_FALSE(test, health_state_snap(reporter).dump_stored);
	KUNIT_EXPECT_EQ(test, health_state_dump_gen(reporter), 0);
}

static void health_state_cancelled_report_takes_no_dump(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_full_ops,
					 HEALTH_GRACE_MS);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 1);

	devl_lock(fake->devlink);
	devlink_health_dump_clear(reporter);
	devl_unlock(fake->devlink);

	fake->now++;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 1);
	KUNIT_EXPECT_FALSE(test, health_state_snap(reporter).dump_stored);
}

static void health_state_ids_follow_list_order(struct kunit *test)
{
	static const struct devlink_health_reporter_ops ops_a = { .name = "a" };
	static const struct devlink_health_reporter_ops ops_c = { .name = "c" };
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *a, *b, *c, *r;
	u64 prev = 0;
	int n = 0;

	a = health_state_reporter(test, &ops_a, 0);
	b = health_state_reporter(test, &health_state_bare_ops, 0);
	KUNIT_EXPECT_GT(test, b->id, a->id);
	kunit_release_action(test, health_state_reporter_destroy, a);
	c = health_state_reporter(test, &ops_c, 0);
	KUNIT_EXPECT_GT(test, c->id, b->id);

	devl_lock(fake->devlink);
	KUNIT_EXPECT_PTR_EQ(test, devlink_health_reporter_find(fake->devlink,
							       NULL, "c"), c);
	KUNIT_EXPECT_NULL(test, devlink_health_reporter_find(fake->devlink,
							     NULL, "a"));
	list_for_each_entry(r, &fake->devlink->reporter_list, list) {
		KUNIT_EXPECT_GT(test, r->id, prev);
		prev = r->id;
		n++;
	}
	devl_unlock(fake->devlink);
	KUNIT_EXPECT_EQ(test, n, 2);
}

static void health_state_port_unregister(void *port)
{
	devlink_port_unregister(port);
}

/* A port of the fake instance, unregistered by the test's cleanup. */
static struct devlink_port *health_state_port(struct kunit *test,
					      unsigned int index)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_port *port;
	int err;

	port = kunit_kzalloc(test, sizeof(*port), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, port);
	err = devlink_port_register(fake->devlink, port, index);
	KUNIT_ASSERT_EQ(test, err, 0);
	err = kunit_add_action_or_reset(test, health_state_port_unregister,
					port);
	KUNIT_ASSERT_EQ(test, err, 0);
	return port;
}

/* A reporter on @port, destroyed by the test's cleanup. */
static struct devlink_health_reporter *
health_state_port_reporter(struct kunit *test, struct devlink_port *port,
			   const struct devlink_health_reporter_ops *ops)
{
	struct devlink_health_reporter *reporter;
	int err;

	reporter = devlink_port_health_reporter_create(port, ops, 0,
						       test->priv);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, reporter);
	err = kunit_add_action_or_reset(test, health_state_reporter_destroy,
					reporter);
	KUNIT_ASSERT_EQ(test, err, 0);
	return reporter;
}

static void health_state_port_reporters_are_separate(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *inst, *prep, *dup;
	struct devlink_port *port;

	port = health_state_port(test, 7);
	inst = health_state_reporter(test, &health_state_bare_ops, 0);
	/* the same name on a port is another reporter */
	prep = health_state_port_reporter(test, port, &health_state_bare_ops);
	dup = devlink_port_health_reporter_create(port, &health_state_bare_ops,
						  0, fake);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(dup), -EEXIST);
	if (!IS_ERR(dup))
		devlink_health_reporter_destroy(dup);

	KUNIT_EXPECT_PTR_EQ(test, prep->devlink_port, port);
	KUNIT_EXPECT_NULL(test, inst->devlink_port);
	devl_lock(fake->devlink);
	KUNIT_EXPECT_PTR_EQ(test, devlink_health_reporter_find(fake->devlink,
							       port, "bare"),
			    prep);
	KUNIT_EXPECT_PTR_EQ(test, devlink_health_reporter_find(fake->devlink,
							       NULL, "bare"),
			    inst);
	devl_unlock(fake->devlink);

	KUNIT_EXPECT_EQ(test, devlink_health_report(prep, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, health_state_snap(prep).error_count, 1);
	KUNIT_EXPECT_EQ(test, health_state_snap(inst).error_count, 0);
}

static void health_state_periods(struct devlink_health_reporter *reporter,
				 u64 grace, u64 burst)
{
	struct devlink_health_config cfg;

	devl_lock(reporter->devlink);
	devlink_health_config_get(reporter, &cfg);
	cfg.graceful_period = grace;
	cfg.burst_period = burst;
	devlink_health_config_set(reporter, &cfg);
	devl_unlock(reporter->devlink);
}

/*
 * Recoveries inside a burst window belong to it: the window and the grace
 * period after it count from the first one. The clock starts one second
 * before jiffies wrap, so the window and the grace period cross the wrap.
 */
static void health_state_burst_window_on_fake_clock(struct kunit *test)
{
	unsigned long burst = msecs_to_jiffies(T_BURST);
	unsigned long grace = msecs_to_jiffies(T_GRACE);
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_recover_ops,
					 T_GRACE);
	health_state_periods(reporter, T_GRACE, T_BURST);

	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, health_state_last_recovery(reporter),
			HEALTH_FAKE_T0);

	/* inside the window: recovered, and the window does not move */
	fake->now = HEALTH_FAKE_T0 + burst - 1;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 2);
	KUNIT_EXPECT_EQ(test, health_state_last_recovery(reporter),
			HEALTH_FAKE_T0);

	/* the window is closed: the grace period runs until burst + grace */
	fake->now = HEALTH_FAKE_T0 + burst;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e3", NULL),
			-ECANCELED);
	devlink_health_reporter_state_update(reporter, HEALTHY);
	fake->now = HEALTH_FAKE_T0 + burst + grace - 1;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e4", NULL),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 2);
	devlink_health_reporter_state_update(reporter, HEALTHY);

	/* the grace period is over: a recovery opens a new window */
	fake->now = HEALTH_FAKE_T0 + burst + grace;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e5", NULL), 0);
	KUNIT_EXPECT_EQ(test, health_state_last_recovery(reporter), fake->now);
	fake->now++;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e6", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 4);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).recovery_count, 4);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).error_count, 6);
}

/* The recoveries a driver reports itself follow the burst window too. */
static void health_state_recovery_done_in_burst(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_recover_ops,
					 T_GRACE);
	health_state_periods(reporter, T_GRACE, T_BURST);
	devlink_health_reporter_recovery_done(reporter);
	fake->now += msecs_to_jiffies(T_BURST) - 1;
	devlink_health_reporter_recovery_done(reporter);
	KUNIT_EXPECT_EQ(test, health_state_last_recovery(reporter),
			HEALTH_FAKE_T0);
	fake->now++;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).recovery_count, 2);
}

/* ----- grace and burst periods from the create call and the ops ----- */

struct health_periods_case {
	const char *desc;
	bool recover;
	u64 arg;
	u64 default_grace;
	u64 default_burst;
	int err;
	u64 grace;
	u64 burst;
};

static const struct health_periods_case health_periods_cases[] = {
	{ "no period anywhere", true, 0, 0, 0, 0, 0, 0 },
	{ "the argument alone", true, 1000, 0, 0, 0, 1000, 0 },
	{ "argument 0 takes the default grace", true, 0, 500, 0, 0, 500, 0 },
	{ "a non-zero argument wins over the default grace",
	  true, 1000, 500, 0, 0, 1000, 0 },
	{ "grace and burst defaults", true, 0, 500, 500, 0, 500, 500 },
	{ "burst default with the argument's grace",
	  true, 1000, 500, 500, 0, 1000, 500 },
	{ "refused: burst default without grace default",
	  true, 0, 0, 500, -EINVAL },
	{ "refused: burst default without grace default, argument set",
	  true, 1000, 0, 500, -EINVAL },
	{ "refused: default grace without recover op",
	  false, 0, 500, 0, -EINVAL },
	{ "refused: argument without recover op", false, 1000, 0, 0, -EINVAL },
	{ "no recover op and no period", false, 0, 0, 0, 0, 0, 0 },
};

KUNIT_ARRAY_PARAM_DESC(health_periods, health_periods_cases, desc);

/*
 * The rules alone: through the create call a refusal also WARNs, which
 * the lab counts as a kernel splat.
 */
static void health_periods_from_ops(struct kunit *test)
{
	const struct health_periods_case *c = test->param_value;
	const struct devlink_health_reporter_ops ops = {
		.name = "periods",
		.recover = c->recover ? health_state_recover : NULL,
		.default_graceful_period = c->default_grace,
		.default_burst_period = c->default_burst,
	};
	struct devlink_health_config cfg = {};

	KUNIT_ASSERT_EQ(test, devlink_health_reporter_periods(&ops, c->arg, &cfg),
			c->err);
	if (c->err)
		return;
	KUNIT_EXPECT_EQ(test, cfg.graceful_period, c->grace);
	KUNIT_EXPECT_EQ(test, cfg.burst_period, c->burst);
}

static const struct devlink_health_reporter_ops health_state_defaults_ops = {
	.name = "defaults",
	.recover = health_state_recover,
	.default_graceful_period = T_GRACE,
	.default_burst_period = T_BURST,
};

/*
 * A reporter created with a period argument of 0 starts with the ops'
 * defaults, and its burst window works on the fake clock.
 */
static void health_state_ops_defaults_honoured(struct kunit *test)
{
	unsigned long burst = msecs_to_jiffies(T_BURST);
	struct health_state_snapshot snap;
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_defaults_ops, 0);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, snap.cfg.graceful_period, T_GRACE);
	KUNIT_EXPECT_EQ(test, snap.cfg.burst_period, T_BURST);

	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	fake->now += burst - 1;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL), 0);
	fake->now++;
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e3", NULL),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 2);
}

/* A driver's own lock, held around a report as an IRQ handler would. */
static DEFINE_SPINLOCK(health_state_driver_lock);

/*
 * From atomic context the error is recorded at once; the dump and the
 * recovery follow in the deferred work, without the driver's context.
 */
static void health_state_nowait_from_atomic(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;
	unsigned long flags;
	int err;

	reporter = health_state_reporter(test, &health_state_full_ops, 0);
	fake->recover_ctx = fake;

	spin_lock_irqsave(&health_state_driver_lock, flags);
	err = devlink_health_report_nowait(reporter, "from atomic context");
	spin_unlock_irqrestore(&health_state_driver_lock, flags);
	KUNIT_EXPECT_EQ(test, err, 0);

	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, snap.error_count, 1);

	devlink_health_deferred_flush();
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 1);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
	KUNIT_EXPECT_NULL(test, fake->recover_ctx);
	KUNIT_EXPECT_TRUE(test, snap.dump_stored);
	KUNIT_EXPECT_EQ(test, snap.state, HEALTHY);
	KUNIT_EXPECT_EQ(test, snap.recovery_count, 1);
}

/*
 * Reports made while the deferred recovery waits, here for the instance
 * lock the test holds, coalesce into it: K reports, one recovery.
 */
static void health_state_nowait_coalesces(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;
	int i, cancelled = 0;

	reporter = health_state_reporter(test, &health_state_recover_ops, 0);

	devl_lock(fake->devlink);
	for (i = 0; i < 10; i++)
		if (devlink_health_report_nowait(reporter, "burst"))
			cancelled++;
	snap = health_state_snap(reporter);
	devl_unlock(fake->devlink);
	KUNIT_EXPECT_EQ(test, cancelled, 0);
	KUNIT_EXPECT_EQ(test, snap.state, IN_ERROR);
	KUNIT_EXPECT_EQ(test, snap.error_count, 10);

	devlink_health_deferred_flush();
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
	KUNIT_EXPECT_EQ(test, snap.recovery_count, 1);
	KUNIT_EXPECT_EQ(test, snap.state, HEALTHY);
}

/* Without a recovery in flight, an unrecovered error cancels as usual. */
static void health_state_nowait_unrecovered_cancels(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	fake->recover_ret = -EIO;
	reporter = health_state_reporter(test, &health_state_recover_ops, 0);
	KUNIT_EXPECT_EQ(test, devlink_health_report_nowait(reporter, "e1"), 0);
	devlink_health_deferred_flush();
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).state, IN_ERROR);

	KUNIT_EXPECT_EQ(test, devlink_health_report_nowait(reporter, "e2"),
			-ECANCELED);
	/* a synchronous report sees the same state machine */
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e3", NULL),
			-ECANCELED);
	devlink_health_deferred_flush();
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).error_count, 3);
}

/* The grace period, started here on the test's clock, refuses it too. */
static void health_state_nowait_grace_cancels(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_recover_ops,
					 HEALTH_GRACE_MS);
	devlink_health_reporter_recovery_done(reporter);
	fake->now++;
	KUNIT_EXPECT_EQ(test, devlink_health_report_nowait(reporter, "e1"),
			-ECANCELED);
	devlink_health_deferred_flush();
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
	KUNIT_EXPECT_EQ(test, health_state_snap(reporter).state, IN_ERROR);
}

/* Auto-recover off: the dump is still taken, the reporter stays in error. */
static void health_state_nowait_manual(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;

	reporter = health_state_reporter(test, &health_state_full_ops, 0);
	health_state_config(reporter, false, true);
	KUNIT_EXPECT_EQ(test, devlink_health_report_nowait(reporter, "e1"), 0);
	KUNIT_EXPECT_EQ(test, devlink_health_report_nowait(reporter, "e2"), 0);
	devlink_health_deferred_flush();
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 1);
	KUNIT_EXPECT_TRUE(test, snap.dump_stored);
	KUNIT_EXPECT_EQ(test, snap.state, IN_ERROR);
	KUNIT_EXPECT_EQ(test, snap.error_count, 2);
}

/*
 * Destroy with deferred work queued, under the instance lock the work
 * needs: it must neither wait for the work nor let it run an op, and the
 * reporter is freed by whichever of the two ends last (KASAN and kmemleak
 * watch that). The reports must have been recorded and their work left
 * pending, or the test would prove nothing about a pending destroy.
 */
static void health_state_nowait_destroy_pending(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;
	int i;

	reporter = devlink_health_reporter_create(fake->devlink,
						  &health_state_full_ops, 0,
						  fake);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, reporter);

	devl_lock(fake->devlink);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test,
				devlink_health_report_nowait(reporter, "dying"),
				0);
	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, snap.error_count, 3);
	KUNIT_EXPECT_EQ(test, snap.state, IN_ERROR);
	/* the work needs the lock we hold: nothing of it ran yet */
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
	devl_health_reporter_destroy(reporter);
	devl_unlock(fake->devlink);

	devlink_health_deferred_flush();
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 0);
}

/* ----- errors reported while a recovery runs ----- */

/**
 * struct health_during_case - errors reported while a recovery runs
 * @desc: case name
 * @auto_recover: auto-recover on; off, the user runs the recovery
 * @grace: grace period, in ms
 * @burst: burst period, in ms
 * @reports: errors reported from inside the first recovery
 * @state: expected state once the deferred work is done
 * @recoveries: expected recoveries, all successful
 */
struct health_during_case {
	const char *desc;
	bool auto_recover;
	u64 grace;
	u64 burst;
	int reports;
	enum devlink_health_reporter_state state;
	int recoveries;
};

static const struct health_during_case health_during_cases[] = {
	{ "none during the recovery: healed", true, 0, 0, 0, HEALTHY, 1 },
	{ "one during the recovery: recovered again", true, 0, 0, 1,
	  HEALTHY, 2 },
	{ "three during the recovery: recovered once more", true, 0, 0, 3,
	  HEALTHY, 2 },
	{ "one during the recovery, grace period: stays in error", true,
	  HEALTH_GRACE_MS, 0, 1, IN_ERROR, 1 },
	{ "one during the recovery, burst window open: recovered again", true,
	  HEALTH_GRACE_MS, 500, 1, HEALTHY, 2 },
	{ "one during a user recovery, auto-recover off: stays in error",
	  false, 0, 0, 1, IN_ERROR, 1 },
};

KUNIT_ARRAY_PARAM_DESC(health_during, health_during_cases, desc);

/*
 * An error reported while a recovery runs may have come after the device
 * was reset: the recovery must not heal the reporter over it.
 */
static void health_state_error_during_recovery(struct kunit *test)
{
	const struct health_during_case *c = test->param_value;
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;
	struct devlink_health_config cfg;
	int err;

	fake->reports_in_recover = c->reports;
	reporter = health_state_reporter(test, &health_state_recover_ops,
					 c->grace);
	devl_lock(fake->devlink);
	devlink_health_config_get(reporter, &cfg);
	cfg.auto_recover = c->auto_recover;
	cfg.burst_period = c->burst;
	devlink_health_config_set(reporter, &cfg);
	devl_unlock(fake->devlink);

	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	if (!c->auto_recover) {
		devl_lock(fake->devlink);
		err = devlink_health_recover(reporter, NULL, NULL);
		devl_unlock(fake->devlink);
		KUNIT_EXPECT_EQ(test, err, 0);
	}
	devlink_health_deferred_flush();

	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, snap.state, c->state);
	KUNIT_EXPECT_EQ(test, snap.error_count, 1 + c->reports);
	KUNIT_EXPECT_EQ(test, snap.recovery_count, c->recoveries);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, c->recoveries);
}

/* ----- closing a reporter ----- */

/*
 * A closed reporter runs no op: neither the recovery and dump queued
 * before, nor those of later reports or user requests. The errors are
 * still counted.
 */
static void health_state_close_stops_ops(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_state_snapshot snap;
	struct devlink_health_reporter *reporter;
	int err;

	reporter = health_state_reporter(test, &health_state_full_ops, 0);
	devl_lock(fake->devlink);
	KUNIT_EXPECT_EQ(test, devlink_health_report_nowait(reporter, "e1"), 0);
	devl_health_reporter_close(reporter);
	devl_unlock(fake->devlink);
	devlink_health_deferred_flush();
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 0);

	/* healthy again, each report would recover: each is cancelled */
	devlink_health_reporter_state_update(reporter, HEALTHY);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL),
			-ECANCELED);
	devlink_health_reporter_state_update(reporter, HEALTHY);
	KUNIT_EXPECT_EQ(test, devlink_health_report_nowait(reporter, "e3"),
			-ECANCELED);
	devl_lock(fake->devlink);
	err = devlink_health_recover(reporter, NULL, NULL);
	devl_unlock(fake->devlink);
	KUNIT_EXPECT_EQ(test, err, -ENODEV);
	devlink_health_deferred_flush();

	snap = health_state_snap(reporter);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 0);
	KUNIT_EXPECT_FALSE(test, snap.dump_stored);
	KUNIT_EXPECT_EQ(test, snap.state, IN_ERROR);
	KUNIT_EXPECT_EQ(test, snap.error_count, 3);
}

struct health_close_run {
	struct devlink_health_reporter *reporter;
	int err;
	struct completion done;
};

static int health_close_reporter_thread(void *arg)
{
	struct health_close_run *run = arg;

	run->err = devlink_health_report(run->reporter, "waits", NULL);
	complete(&run->done);
	return 0;
}

/*
 * A synchronous report waits for the instance lock, which the test holds
 * the way a teardown does; closing the reporter must release it, without
 * the lock being dropped.
 */
static void health_state_close_releases_waiting_report(struct kunit *test)
{
	struct health_state_fake *fake = test->priv;
	struct health_close_run run = {};
	struct task_struct *task;
	bool released;

	run.reporter = health_state_reporter(test, &health_state_recover_ops, 0);
	init_completion(&run.done);

	devl_lock(fake->devlink);
	task = kthread_run(health_close_reporter_thread, &run, "health-close");
	if (IS_ERR(task)) {
		devl_unlock(fake->devlink);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
		return;
	}
	KUNIT_EXPECT_EQ_MSG(test,
			    wait_for_completion_timeout(&run.done, HZ / 10), 0,
			    "the report did not wait for the instance lock");
	devl_health_reporter_close(run.reporter);
	released = wait_for_completion_timeout(&run.done, 10 * HZ);
	devl_unlock(fake->devlink);
	if (!released)
		wait_for_completion(&run.done);

	KUNIT_EXPECT_TRUE_MSG(test, released,
			      "the report still waited for the instance lock 10 s after close");
	KUNIT_EXPECT_EQ(test, run.err, -ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 0);
	KUNIT_EXPECT_EQ(test, health_state_snap(run.reporter).error_count, 1);
}

/* ----- the reporter message, as GET and notifications send it ----- */

/**
 * struct health_msg_case - one reporter message to encode
 * @desc: case name
 * @ops: reporter ops: which attributes the message has
 * @port_index: put the reporter on a port of this index, if not 0
 * @reports: reports made before encoding, with auto-recover off
 * @auto_dump: auto-dump on while reporting, so the message has dump times
 * @grace: grace period, in ms
 * @burst: burst period, in ms
 * @attrs: the attributes of the reporter nest, in order, 0-terminated
 */
struct health_msg_case {
	const char *desc;
	const struct devlink_health_reporter_ops *ops;
	unsigned int port_index;
	unsigned int reports;
	bool auto_dump;
	u64 grace;
	u64 burst;
	const u16 *attrs;
};

/*
 * The reporter nest of 6.12's devlink_nl_health_reporter_fill(), with the
 * burst period of later kernels after the grace period: user space and the
 * selftests read replies in this order.
 */
static const u16 health_msg_bare[] = {
	DEVLINK_ATTR_HEALTH_REPORTER_NAME,
	DEVLINK_ATTR_HEALTH_REPORTER_STATE,
	DEVLINK_ATTR_HEALTH_REPORTER_ERR_COUNT,
	DEVLINK_ATTR_HEALTH_REPORTER_RECOVER_COUNT,
	0
};

static const u16 health_msg_recover[] = {
	DEVLINK_ATTR_HEALTH_REPORTER_NAME,
	DEVLINK_ATTR_HEALTH_REPORTER_STATE,
	DEVLINK_ATTR_HEALTH_REPORTER_ERR_COUNT,
	DEVLINK_ATTR_HEALTH_REPORTER_RECOVER_COUNT,
	DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD,
	DEVLINK_ATTR_HEALTH_REPORTER_BURST_PERIOD,
	DEVLINK_ATTR_HEALTH_REPORTER_AUTO_RECOVER,
	0
};

static const u16 health_msg_dump[] = {
	DEVLINK_ATTR_HEALTH_REPORTER_NAME,
	DEVLINK_ATTR_HEALTH_REPORTER_STATE,
	DEVLINK_ATTR_HEALTH_REPORTER_ERR_COUNT,
	DEVLINK_ATTR_HEALTH_REPORTER_RECOVER_COUNT,
	DEVLINK_ATTR_HEALTH_REPORTER_DUMP_TS,
	DEVLINK_ATTR_HEALTH_REPORTER_DUMP_TS_NS,
	DEVLINK_ATTR_HEALTH_REPORTER_AUTO_DUMP,
	0
};

static const u16 health_msg_full[] = {
	DEVLINK_ATTR_HEALTH_REPORTER_NAME,
	DEVLINK_ATTR_HEALTH_REPORTER_STATE,
	DEVLINK_ATTR_HEALTH_REPORTER_ERR_COUNT,
	DEVLINK_ATTR_HEALTH_REPORTER_RECOVER_COUNT,
	DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD,
	DEVLINK_ATTR_HEALTH_REPORTER_BURST_PERIOD,
	DEVLINK_ATTR_HEALTH_REPORTER_AUTO_RECOVER,
	DEVLINK_ATTR_HEALTH_REPORTER_DUMP_TS,
	DEVLINK_ATTR_HEALTH_REPORTER_DUMP_TS_NS,
	DEVLINK_ATTR_HEALTH_REPORTER_AUTO_DUMP,
	0
};

static const struct health_msg_case health_msg_cases[] = {
	{ "bare, healthy", &health_state_bare_ops,
	  .attrs = health_msg_bare },
	{ "bare, in error", &health_state_bare_ops, .reports = 3,
	  .attrs = health_msg_bare },
	{ "bare, on a port", &health_state_bare_ops, .port_index = 0x10203,
	  .reports = 1, .attrs = health_msg_bare },
	{ "recover, periods", &health_state_recover_ops, .reports = 2,
	  .grace = 0x123456789aULL, .burst = 500, .attrs = health_msg_recover },
	{ "dump, stored", &health_state_dump_ops, .reports = 1,
	  .auto_dump = true, .attrs = health_msg_dump },
	{ "full, on a port, dump stored", &health_state_full_ops,
	  .port_index = 3, .reports = 5, .auto_dump = true, .grace = 1000,
	  .attrs = health_msg_full },
};

KUNIT_ARRAY_PARAM_DESC(health_msg, health_msg_cases, desc);

static void health_msg_skb_free(void *skb)
{
	kfree_skb(skb);
}

/* An skb of exactly @room bytes of tail room, freed with the test. */
static struct sk_buff *health_msg_skb(struct kunit *test, unsigned int room)
{
	struct sk_buff *skb;
	int err;

	skb = alloc_skb(room + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	err = kunit_add_action_or_reset(test, health_msg_skb_free, skb);
	KUNIT_ASSERT_EQ(test, err, 0);
	skb_reserve(skb, skb_tailroom(skb) - room);
	return skb;
}

static struct devlink_health_reporter *
health_msg_reporter(struct kunit *test, const struct health_msg_case *c)
{
	struct devlink_health_reporter *reporter;
	unsigned int i;

	if (c->port_index)
		reporter = health_state_port_reporter(test,
						      health_state_port(test, c->port_index),
						      c->ops);
	else
		reporter = health_state_reporter(test, c->ops, 0);
	health_state_config(reporter, false, c->auto_dump);
	if (c->ops->recover)
		health_state_periods(reporter, c->grace, c->burst);
	for (i = 0; i < c->reports; i++)
		devlink_health_report(reporter, "encode me", NULL);
	return reporter;
}

/*
 * The attribute types of the stream at @head, pads skipped, are @want
 * (0-terminated).
 */
static void health_msg_expect_attrs(struct kunit *test,
				    const struct nlattr *head, int len,
				    const u16 *want)
{
	const struct nlattr *attr;
	unsigned int i = 0;
	int rem;

	nla_for_each_attr(attr, head, len, rem) {
		if (nla_type(attr) == DEVLINK_ATTR_PAD)
			continue;
		KUNIT_ASSERT_NE_MSG(test, want[i], 0, "extra attribute %d",
				    nla_type(attr));
		KUNIT_EXPECT_EQ(test, nla_type(attr), want[i]);
		i++;
	}
	KUNIT_EXPECT_EQ(test, rem, 0);
	KUNIT_EXPECT_EQ(test, want[i], 0);
}

static u64 health_msg_u64(struct kunit *test, const struct nlattr *nest,
			  int type)
{
	const struct nlattr *attr = nla_find_nested(nest, type);

	KUNIT_ASSERT_NOT_NULL(test, attr);
	return nla_get_u64(attr);
}

/*
 * The core's reporter message has the attributes of 6.12's, in its order,
 * with the reporter's values, and a message that does not fit is refused
 * whole.
 */
static void health_msg_has_6_12_layout(struct kunit *test)
{
	const struct health_msg_case *c = test->param_value;
	const u16 top[] = { DEVLINK_ATTR_BUS_NAME, DEVLINK_ATTR_DEV_NAME,
			    DEVLINK_ATTR_PORT_INDEX,
			    DEVLINK_ATTR_HEALTH_REPORTER, 0 };
	const u16 top_no_port[] = { DEVLINK_ATTR_BUS_NAME,
				    DEVLINK_ATTR_DEV_NAME,
				    DEVLINK_ATTR_HEALTH_REPORTER, 0 };
	struct devlink_health_reporter *reporter;
	const struct nlattr *nest, *attr;
	struct nlmsghdr *nlh;
	struct sk_buff *msg;
	unsigned int len;
	int err;

	reporter = health_msg_reporter(test, c);
	msg = health_msg_skb(test, NLMSG_DEFAULT_SIZE);
	err = devlink_nl_health_reporter_fill(msg, reporter,
					      DEVLINK_CMD_HEALTH_REPORTER_GET,
					      0, 0, 0);
	KUNIT_ASSERT_EQ(test, err, 0);
	nlh = nlmsg_hdr(msg);
	KUNIT_ASSERT_EQ(test, nlh->nlmsg_len, msg->len);
	health_msg_expect_attrs(test, nlmsg_attrdata(nlh, GENL_HDRLEN),
				nlmsg_attrlen(nlh, GENL_HDRLEN),
				c->port_index ? top : top_no_port);
	if (c->port_index) {
		attr = nlmsg_find_attr(nlh, GENL_HDRLEN,
				       DEVLINK_ATTR_PORT_INDEX);
		KUNIT_ASSERT_NOT_NULL(test, attr);
		KUNIT_EXPECT_EQ(test, nla_get_u32(attr), c->port_index);
	}
	nest = nlmsg_find_attr(nlh, GENL_HDRLEN, DEVLINK_ATTR_HEALTH_REPORTER);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	health_msg_expect_attrs(test, nla_data(nest), nla_len(nest), c->attrs);

	attr = nla_find_nested(nest, DEVLINK_ATTR_HEALTH_REPORTER_STATE);
	KUNIT_ASSERT_NOT_NULL(test, attr);
	KUNIT_EXPECT_EQ(test, nla_get_u8(attr),
			c->reports ? DEVLINK_HEALTH_REPORTER_STATE_ERROR :
				     DEVLINK_HEALTH_REPORTER_STATE_HEALTHY);
	KUNIT_EXPECT_EQ(test, health_msg_u64(test, nest,
					     DEVLINK_ATTR_HEALTH_REPORTER_ERR_COUNT),
			c->reports);
	KUNIT_EXPECT_EQ(test, health_msg_u64(test, nest,
					     DEVLINK_ATTR_HEALTH_REPORTER_RECOVER_COUNT),
			0);
	if (c->ops->recover) {
		KUNIT_EXPECT_EQ(test, health_msg_u64(test, nest,
						     DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD),
				c->grace);
		KUNIT_EXPECT_EQ(test, health_msg_u64(test, nest,
						     DEVLINK_ATTR_HEALTH_REPORTER_BURST_PERIOD),
				c->burst);
	}

	/*
	 * Short of room: nothing written. The room stays a multiple of 8, so
	 * the message starts at the alignment it had above: where unaligned
	 * access is slow, u64 attributes are padded to 8 bytes, and a message
	 * starting elsewhere may need fewer pads.
	 */
	len = msg->len;
	msg = health_msg_skb(test, round_down(len - 1, 8));
	err = devlink_nl_health_reporter_fill(msg, reporter,
					      DEVLINK_CMD_HEALTH_REPORTER_GET,
					      0, 0, 0);
	KUNIT_EXPECT_EQ(test, err, -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, msg->len, 0);
}

static struct kunit_case health_state_cases[] = {
	KUNIT_CASE_PARAM(health_recover_decides, health_decision_gen_params),
	KUNIT_CASE(health_state_defaults_follow_ops),
	KUNIT_CASE(health_state_report_counts_and_enters_error),
	KUNIT_CASE(health_state_log_rate_limit),
	KUNIT_CASE(health_state_auto_recover_heals),
	KUNIT_CASE(health_state_grace_period_on_fake_clock),
	KUNIT_CASE(health_state_unrecovered_error_cancels),
	KUNIT_CASE(health_state_recover_when_healthy_is_noop),
	KUNIT_CASE(health_state_auto_recover_off_stays_in_error),
	KUNIT_CASE(health_state_recovery_done_starts_grace),
	KUNIT_CASE(health_state_update_changes_state_only),
	KUNIT_CASE(health_state_auto_dump_keeps_first),
	KUNIT_CASE(health_state_dump_clear_bumps_generation),
	KUNIT_CASE(health_state_auto_dump_off_takes_none),
	KUNIT_CASE(health_state_failed_dump_stores_nothing),
	KUNIT_CASE(health_state_cancelled_report_takes_no_dump),
	KUNIT_CASE(health_state_ids_follow_list_order),
	KUNIT_CASE(health_state_port_reporters_are_separate),
	KUNIT_CASE_PARAM(health_msg_has_6_12_layout,
			 health_msg_gen_params),
	KUNIT_CASE(health_state_burst_window_on_fake_clock),
	KUNIT_CASE_PARAM(health_periods_from_ops, health_periods_gen_params),
	KUNIT_CASE(health_state_ops_defaults_honoured),
	KUNIT_CASE(health_state_recovery_done_in_burst),
	KUNIT_CASE(health_state_nowait_from_atomic),
	KUNIT_CASE(health_state_nowait_coalesces),
	KUNIT_CASE(health_state_nowait_unrecovered_cancels),
	KUNIT_CASE(health_state_nowait_grace_cancels),
	KUNIT_CASE(health_state_nowait_manual),
	KUNIT_CASE(health_state_nowait_destroy_pending),
	KUNIT_CASE_PARAM(health_state_error_during_recovery,
			 health_during_gen_params),
	KUNIT_CASE(health_state_close_stops_ops),
	KUNIT_CASE(health_state_close_releases_waiting_report),
	{}
};

static struct kunit_suite health_state_suite = {
	.name = "devlink_health_state",
	.init = health_state_init,
	.test_cases = health_state_cases,
};

kunit_test_suite(health_state_suite);

MODULE_DESCRIPTION("KUnit tests of the devlink health state machine");
MODULE_LICENSE("GPL");
