// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KUnit suite of the devlink health driver API, black box: it uses only what
 * include/net/devlink.h exports, so the same suite runs against the upstream
 * 6.12 core and against ours, and pins the contract drivers rely on.
 * Every reporter hands its fake back through devlink_health_reporter_priv()
 * in its ops, so a wrong priv fails each case that counts op calls.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/module.h>
#include <net/devlink.h>

struct health_api_fake {
	struct devlink *devlink;
	int recover_calls;
	int recover_ret;
	int dump_calls;
};

static const struct devlink_ops health_api_devlink_ops = {};

static int health_api_recover(struct devlink_health_reporter *reporter,
			      void *priv_ctx, struct netlink_ext_ack *extack)
{
	struct health_api_fake *fake = devlink_health_reporter_priv(reporter);

	fake->recover_calls++;
	return fake->recover_ret;
}

static int health_api_dump(struct devlink_health_reporter *reporter,
			   struct devlink_fmsg *fmsg, void *priv_ctx,
			   struct netlink_ext_ack *extack)
{
	struct health_api_fake *fake = devlink_health_reporter_priv(reporter);

	fake->dump_calls++;
	devlink_fmsg_u32_pair_put(fmsg, "dump_calls", fake->dump_calls);
	return 0;
}

static const struct devlink_health_reporter_ops health_api_bare_ops = {
	.name = "bare",
};

static const struct devlink_health_reporter_ops health_api_recover_ops = {
	.name = "recovering",
	.recover = health_api_recover,
};

static const struct devlink_health_reporter_ops health_api_dump_ops = {
	.name = "dumping",
	.dump = health_api_dump,
};

static void health_api_devlink_free(void *data)
{
	devlink_free(data);
}

static int health_api_init(struct kunit *test)
{
	struct health_api_fake *fake;
	struct device *dev;
	int err;

	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake);
	dev = kunit_device_register(test, "devlink-health-api");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	fake->devlink = devlink_alloc(&health_api_devlink_ops, 0, dev);
	KUNIT_ASSERT_NOT_NULL(test, fake->devlink);
	err = kunit_add_action_or_reset(test, health_api_devlink_free,
					fake->devlink);
	KUNIT_ASSERT_EQ(test, err, 0);
	test->priv = fake;
	return 0;
}

static void health_api_reporter_destroy(void *reporter)
{
	devlink_health_reporter_destroy(reporter);
}

/* Create a reporter that the test's cleanup destroys, even on failure. */
static struct devlink_health_reporter *
health_api_reporter(struct kunit *test,
		    const struct devlink_health_reporter_ops *ops, u64 grace)
{
	struct health_api_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;
	int err;

	reporter = devlink_health_reporter_create(fake->devlink, ops, grace,
						  fake);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, reporter);
	err = kunit_add_action_or_reset(test, health_api_reporter_destroy,
					reporter);
	KUNIT_ASSERT_EQ(test, err, 0);
	return reporter;
}

static void health_api_duplicate_name_is_refused(struct kunit *test)
{
	struct health_api_fake *fake = test->priv;
	struct devlink_health_reporter *dup;

	health_api_reporter(test, &health_api_bare_ops, 0);
	dup = devlink_health_reporter_create(fake->devlink,
					     &health_api_bare_ops, 0, fake);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(dup), -EEXIST);
	if (!IS_ERR(dup))
		devlink_health_reporter_destroy(dup);
}

static void health_api_grace_period_cancels_second_recovery(struct kunit *test)
{
	struct health_api_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_api_reporter(test, &health_api_recover_ops, 3600000);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
}

static void health_api_failed_recovery_is_returned(struct kunit *test)
{
	struct health_api_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	fake->recover_ret = -EIO;
	reporter = health_api_reporter(test, &health_api_recover_ops, 0);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL),
			-EIO);
	/* Still in error: the next report must not try again. */
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 1);
	/* Once the driver says it recovered on its own, recovery runs. */
	fake->recover_ret = 0;
	devlink_health_reporter_state_update(reporter,
					     DEVLINK_HEALTH_REPORTER_STATE_HEALTHY);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e3", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->recover_calls, 2);
}

static void health_api_only_first_dump_is_kept(struct kunit *test)
{
	struct health_api_fake *fake = test->priv;
	struct devlink_health_reporter *reporter;

	reporter = health_api_reporter(test, &health_api_dump_ops, 0);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e1", NULL), 0);
	KUNIT_EXPECT_EQ(test, devlink_health_report(reporter, "e2", NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->dump_calls, 1);
}

static struct kunit_case health_api_cases[] = {
	KUNIT_CASE(health_api_duplicate_name_is_refused),
	KUNIT_CASE(health_api_grace_period_cancels_second_recovery),
	KUNIT_CASE(health_api_failed_recovery_is_returned),
	KUNIT_CASE(health_api_only_first_dump_is_kept),
	{}
};

static struct kunit_suite health_api_suite = {
	.name = "devlink_health_api",
	.init = health_api_init,
	.test_cases = health_api_cases,
};

kunit_test_suite(health_api_suite);

MODULE_DESCRIPTION("KUnit tests of the devlink health driver API");
MODULE_LICENSE("GPL");
