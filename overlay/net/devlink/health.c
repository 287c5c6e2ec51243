// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devlink health: reporter registry, state machine and driver API.
 *
 * Locking contract, outermost first:
 *
 * 1. The instance lock (devlink->lock, devl_lock()) protects the reporter
 *    lists of the instance and of its ports, hence reporter membership and
 *    lifetime: create and destroy require it, and every netlink operation
 *    holds it while it uses a reporter, so a reporter cannot be destroyed
 *    under a handler. Recovery and the automatic dump run under it too, so
 *    ops->recover and ops->dump never run concurrently with each other or
 *    with a netlink operation on the same instance.
 * 2. &devlink_health_reporter.dump_lock (mutex) protects the stored dump:
 *    the fmsg, its timestamps and the dump generation. It nests inside
 *    the instance lock.
 * 3. &devlink_health_reporter.state_lock (spinlock, IRQ safe) protects the
 *    report-path state: health state, counters, last recovery time and the
 *    recovery policy (&devlink_health_config). It is the innermost lock;
 *    nothing sleeps under it. Driver calls that only touch this state
 *    (recovery_done) may therefore come from any context.
 *
 * devlink_health_report() itself sleeps: it sends a notification, then
 * takes the instance lock for the automatic dump and recovery. The driver
 * must not hold the instance lock when it reports.
 *
 * Lifetime: a reporter lives from create to destroy. The driver must not
 * report, update the state or call recovery_done on a reporter that it
 * is destroying or has destroyed; the core keeps no reference of its own
 * across a dropped instance lock.
 */

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <trace/events/devlink.h>

#include "devl_internal.h"
#include "health.h"

/*
 * Source of &devlink_health_reporter.id. Global, so ids are unique and
 * increasing within every instance without a field in struct devlink; a
 * u64 does not wrap.
 */
static atomic64_t devlink_health_reporter_last_id = ATOMIC64_INIT(0);

/**
 * devlink_health_now() - the health core's clock
 *
 * All recovery timestamps and the grace period are taken from here, so
 * that the KUnit suite can drive time through a static stub.
 *
 * Context: any.
 * Return: the current jiffies.
 */
VISIBLE_IF_KUNIT unsigned long devlink_health_now(void)
{
	KUNIT_STATIC_STUB_REDIRECT(devlink_health_now);
	return jiffies;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_now);

/*
 * The grace period is a u64 of ms from user space; msecs_to_jiffies()
 * takes an unsigned int. Saturate rather than truncate, so a huge period
 * means "very long" and not a random short one.
 */
static unsigned long devlink_health_grace_jiffies(u64 graceful_period)
{
	return msecs_to_jiffies(min_t(u64, graceful_period, UINT_MAX));
}

/**
 * devlink_health_recover_gate() - decide what a report does about recovery
 * @gate: state copied when the report moved the reporter to error
 * @now: current time, in jiffies
 *
 * Pure function of its inputs. The elapsed time is computed as an unsigned
 * difference, which stays right across a jiffies wrap. The grace period
 * ends exactly @gate->graceful_period ms after the last recovery: a report
 * at that instant may recover again.
 *
 * Context: any.
 * Return: the verdict, see enum devlink_health_gate_verdict.
 */
VISIBLE_IF_KUNIT enum devlink_health_gate_verdict
devlink_health_recover_gate(const struct devlink_health_gate *gate,
			    unsigned long now)
{
	unsigned long grace = devlink_health_grace_jiffies(gate->graceful_period);

	if (!gate->auto_recover)
		return DEVLINK_HEALTH_GATE_MANUAL;
	if (gate->prev_state != DEVLINK_HEALTH_REPORTER_STATE_HEALTHY)
		return DEVLINK_HEALTH_GATE_UNRECOVERED;
	if (gate->recovery_count && now - gate->last_recovery_ts < grace)
		return DEVLINK_HEALTH_GATE_GRACE;
	return DEVLINK_HEALTH_GATE_RECOVER;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_recover_gate);

/**
 * devlink_health_reporter_priv() - driver cookie of a reporter
 * @reporter: the reporter
 *
 * Context: any.
 * Return: the @priv given at create.
 */
void *devlink_health_reporter_priv(struct devlink_health_reporter *reporter)
{
	return reporter->priv;
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_priv);

static struct list_head *
devlink_health_reporter_list(struct devlink *devlink, struct devlink_port *port)
{
	return port ? &port->reporter_list : &devlink->reporter_list;
}

/**
 * devlink_health_reporter_find() - look a reporter up by name
 * @devlink: instance
 * @port: port whose reporters to search, or NULL for the instance's own
 * @name: reporter name
 *
 * Context: instance lock held.
 * Return: the reporter, or NULL if there is none by that name.
 */
struct devlink_health_reporter *
devlink_health_reporter_find(struct devlink *devlink,
			     struct devlink_port *port, const char *name)
{
	struct devlink_health_reporter *reporter;

	devl_assert_locked(devlink);
	list_for_each_entry(reporter,
			    devlink_health_reporter_list(devlink, port), list)
		if (!strcmp(reporter->ops->name, name))
			return reporter;
	return NULL;
}

static struct devlink_health_reporter *
devlink_health_reporter_new(struct devlink *devlink, struct devlink_port *port,
			    const struct devlink_health_reporter_ops *ops,
			    u64 graceful_period, void *priv)
{
	struct devlink_health_reporter *reporter;

	devl_assert_locked(devlink);
	if (devlink_health_reporter_find(devlink, port, ops->name))
		return ERR_PTR(-EEXIST);
	/* a grace period only spaces out recoveries: it needs a recover op */
	if (WARN_ON(graceful_period && !ops->recover))
		return ERR_PTR(-EINVAL);

	reporter = kzalloc(sizeof(*reporter), GFP_KERNEL);
	if (!reporter)
		return ERR_PTR(-ENOMEM);

	reporter->id = atomic64_inc_return(&devlink_health_reporter_last_id);
	reporter->ops = ops;
	reporter->priv = priv;
	reporter->devlink = devlink;
	reporter->devlink_port = port;
	spin_lock_init(&reporter->state_lock);
	reporter->health_state = DEVLINK_HEALTH_REPORTER_STATE_HEALTHY;
	reporter->cfg.graceful_period = graceful_period;
	reporter->cfg.auto_recover = !!ops->recover;
	reporter->cfg.auto_dump = !!ops->dump;
	mutex_init(&reporter->dump_lock);

	/* appending keeps the list sorted by id, the GET dump resume key */
	list_add_tail(&reporter->list,
		      devlink_health_reporter_list(devlink, port));
	return reporter;
}

/**
 * devl_port_health_reporter_create() - create a health reporter of a port
 * @port: port the reports relate to
 * @ops: reporter callbacks; @ops->name must be unique among @port's
 *	reporters. Must outlive the reporter.
 * @graceful_period: minimum time in ms between two automatic recoveries;
 *	must be 0 if @ops has no recover callback
 * @priv: driver cookie, see devlink_health_reporter_priv()
 *
 * Context: process context, instance lock held.
 * Return: the new reporter, ERR_PTR(-EEXIST) if @port already has a
 * reporter by that name, ERR_PTR(-EINVAL) if @graceful_period is set
 * without a recover callback, ERR_PTR(-ENOMEM).
 */
struct devlink_health_reporter *
devl_port_health_reporter_create(struct devlink_port *port,
				 const struct devlink_health_reporter_ops *ops,
				 u64 graceful_period, void *priv)
{
	return devlink_health_reporter_new(port->devlink, port, ops,
					   graceful_period, priv);
}
EXPORT_SYMBOL_GPL(devl_port_health_reporter_create);

/**
 * devlink_port_health_reporter_create() - create a health reporter of a port
 * @port: port the reports relate to
 * @ops: reporter callbacks, see devl_port_health_reporter_create()
 * @graceful_period: minimum time in ms between two automatic recoveries
 * @priv: driver cookie
 *
 * Takes the instance lock around devl_port_health_reporter_create().
 *
 * Context: process context, instance lock not held.
 * Return: as devl_port_health_reporter_create().
 */
struct devlink_health_reporter *
devlink_port_health_reporter_create(struct devlink_port *port,
				    const struct devlink_health_reporter_ops *ops,
				    u64 graceful_period, void *priv)
{
	struct devlink_health_reporter *reporter;

	devl_lock(port->devlink);
	reporter = devl_port_health_reporter_create(port, ops,
						    graceful_period, priv);
	devl_unlock(port->devlink);
	return reporter;
}
EXPORT_SYMBOL_GPL(devlink_port_health_reporter_create);

/**
 * devl_health_reporter_create() - create a health reporter of an instance
 * @devlink: instance the reports relate to
 * @ops: reporter callbacks; @ops->name must be unique among @devlink's
 *	instance reporters. Must outlive the reporter.
 * @graceful_period: minimum time in ms between two automatic recoveries;
 *	must be 0 if @ops has no recover callback
 * @priv: driver cookie, see devlink_health_reporter_priv()
 *
 * Context: process context, instance lock held.
 * Return: the new reporter, ERR_PTR(-EEXIST) if @devlink already has a
 * reporter by that name, ERR_PTR(-EINVAL) if @graceful_period is set
 * without a recover callback, ERR_PTR(-ENOMEM).
 */
struct devlink_health_reporter *
devl_health_reporter_create(struct devlink *devlink,
			    const struct devlink_health_reporter_ops *ops,
			    u64 graceful_period, void *priv)
{
	return devlink_health_reporter_new(devlink, NULL, ops,
					   graceful_period, priv);
}
EXPORT_SYMBOL_GPL(devl_health_reporter_create);

/**
 * devlink_health_reporter_create() - create a health reporter of an instance
 * @devlink: instance the reports relate to
 * @ops: reporter callbacks, see devl_health_reporter_create()
 * @graceful_period: minimum time in ms between two automatic recoveries
 * @priv: driver cookie
 *
 * Takes the instance lock around devl_health_reporter_create().
 *
 * Context: process context, instance lock not held.
 * Return: as devl_health_reporter_create().
 */
struct devlink_health_reporter *
devlink_health_reporter_create(struct devlink *devlink,
			       const struct devlink_health_reporter_ops *ops,
			       u64 graceful_period, void *priv)
{
	struct devlink_health_reporter *reporter;

	devl_lock(devlink);
	reporter = devl_health_reporter_create(devlink, ops, graceful_period,
					       priv);
	devl_unlock(devlink);
	return reporter;
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_create);

/**
 * devl_health_reporter_destroy() - destroy a health reporter
 * @reporter: the reporter; freed on return, with its stored dump
 *
 * The instance lock excludes every netlink operation, so none is using
 * the reporter. The driver must have stopped reporting on it.
 *
 * Context: process context, instance lock held.
 */
void devl_health_reporter_destroy(struct devlink_health_reporter *reporter)
{
	devl_assert_locked(reporter->devlink);

	list_del(&reporter->list);
	if (reporter->dump_fmsg)
		devlink_fmsg_free(reporter->dump_fmsg);
	mutex_destroy(&reporter->dump_lock);
	kfree(reporter);
}
EXPORT_SYMBOL_GPL(devl_health_reporter_destroy);

/**
 * devlink_health_reporter_destroy() - destroy a health reporter
 * @reporter: the reporter; freed on return
 *
 * Takes the instance lock around devl_health_reporter_destroy().
 *
 * Context: process context, instance lock not held.
 */
void devlink_health_reporter_destroy(struct devlink_health_reporter *reporter)
{
	struct devlink *devlink = reporter->devlink;

	devl_lock(devlink);
	devl_health_reporter_destroy(reporter);
	devl_unlock(devlink);
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_destroy);

/**
 * devlink_health_reporter_snapshot() - copy the user-visible state
 * @reporter: the reporter
 * @snap: filled with one consistent view
 *
 * Context: any; takes @reporter's state_lock.
 */
void devlink_health_reporter_snapshot(struct devlink_health_reporter *reporter,
				      struct devlink_health_reporter_snapshot *snap)
{
	unsigned long flags;

	spin_lock_irqsave(&reporter->state_lock, flags);
	snap->state = reporter->health_state;
	snap->error_count = reporter->error_count;
	snap->recovery_count = reporter->recovery_count;
	snap->cfg = reporter->cfg;
	snap->dump_stored = !!reporter->dump_fmsg;
	snap->dump_ts = reporter->dump_ts;
	snap->dump_real_ts = reporter->dump_real_ts;
	spin_unlock_irqrestore(&reporter->state_lock, flags);
}

/**
 * devlink_health_config_get() - read the recovery policy
 * @reporter: the reporter
 * @cfg: filled with the current policy
 *
 * Context: any; takes @reporter's state_lock.
 */
void devlink_health_config_get(struct devlink_health_reporter *reporter,
			       struct devlink_health_config *cfg)
{
	unsigned long flags;

	spin_lock_irqsave(&reporter->state_lock, flags);
	*cfg = reporter->cfg;
	spin_unlock_irqrestore(&reporter->state_lock, flags);
}

/**
 * devlink_health_config_set() - replace the recovery policy
 * @reporter: the reporter
 * @cfg: new policy, usually devlink_health_config_get() then modified
 *
 * Writers are serialized by the instance lock, so a get, modify, set
 * sequence under it loses no concurrent update; the state lock makes the
 * whole new policy visible to a report at once.
 *
 * Context: instance lock held; takes @reporter's state_lock.
 */
void devlink_health_config_set(struct devlink_health_reporter *reporter,
			       const struct devlink_health_config *cfg)
{
	unsigned long flags;

	devl_assert_locked(reporter->devlink);
	spin_lock_irqsave(&reporter->state_lock, flags);
	reporter->cfg = *cfg;
	spin_unlock_irqrestore(&reporter->state_lock, flags);
}

/**
 * devlink_health_dump_ensure() - store a dump unless one is stored
 * @reporter: the reporter
 * @priv_ctx: driver context of the report, NULL from user space
 * @extack: extended ack for the dump callback, may be NULL
 *
 * A stored dump is kept until the user clears it, so the first error of a
 * series is the one left for analysis. The dump callback runs on a fresh
 * fmsg that is only published once complete and valid.
 *
 * Context: process context, instance lock and @reporter's dump_lock held.
 * Return: 0 if a dump is stored on return, -EOPNOTSUPP without a dump
 * callback, -ENOMEM, or the error of the callback or of the fmsg.
 */
int devlink_health_dump_ensure(struct devlink_health_reporter *reporter,
			       void *priv_ctx, struct netlink_ext_ack *extack)
{
	unsigned long flags, ts;
	struct devlink_fmsg *fmsg;
	u64 real_ts;
	int err;

	devl_assert_locked(reporter->devlink);
	lockdep_assert_held(&reporter->dump_lock);

	if (reporter->dump_fmsg)
		return 0;
	if (!reporter->ops->dump)
		return -EOPNOTSUPP;

	fmsg = devlink_fmsg_alloc();
	if (!fmsg)
		return -ENOMEM;

	devlink_fmsg_obj_nest_start(fmsg);
	err = reporter->ops->dump(reporter, fmsg, priv_ctx, extack);
	if (err)
		goto free_fmsg;
	devlink_fmsg_obj_nest_end(fmsg);
	err = devlink_fmsg_finish(fmsg);
	if (err)
		goto free_fmsg;

	ts = devlink_health_now();
	real_ts = ktime_get_real_ns();
	spin_lock_irqsave(&reporter->state_lock, flags);
	reporter->dump_fmsg = fmsg;
	reporter->dump_ts = ts;
	reporter->dump_real_ts = real_ts;
	spin_unlock_irqrestore(&reporter->state_lock, flags);
	reporter->dump_gen++;
	return 0;

free_fmsg:
	devlink_fmsg_free(fmsg);
	return err;
}

/**
 * devlink_health_dump_clear() - drop the stored dump, if any
 * @reporter: the reporter
 *
 * Bumps the dump generation when a dump is dropped, which makes a
 * DUMP_GET read in progress fail with -EAGAIN instead of reading freed
 * memory or mixing two dumps.
 *
 * Context: process context, instance lock held; takes @reporter's
 * dump_lock.
 */
void devlink_health_dump_clear(struct devlink_health_reporter *reporter)
{
	struct devlink_fmsg *fmsg;
	unsigned long flags;

	devl_assert_locked(reporter->devlink);

	mutex_lock(&reporter->dump_lock);
	spin_lock_irqsave(&reporter->state_lock, flags);
	fmsg = reporter->dump_fmsg;
	reporter->dump_fmsg = NULL;
	spin_unlock_irqrestore(&reporter->state_lock, flags);
	if (fmsg)
		reporter->dump_gen++;
	mutex_unlock(&reporter->dump_lock);

	if (fmsg)
		devlink_fmsg_free(fmsg);
}

/* Count a recovery and start its grace period. */
static void devlink_health_count_recovery(struct devlink_health_reporter *reporter)
{
	lockdep_assert_held(&reporter->state_lock);
	reporter->recovery_count++;
	reporter->last_recovery_ts = devlink_health_now();
}

/**
 * devlink_health_reporter_recovery_done() - account a recovery the driver
 *	performed on its own
 * @reporter: the reporter
 *
 * Counts the recovery and starts its grace period. The health state is
 * left alone; use devlink_health_reporter_state_update() for it.
 *
 * Context: any; takes @reporter's state_lock.
 */
void
devlink_health_reporter_recovery_done(struct devlink_health_reporter *reporter)
{
	unsigned long flags;

	spin_lock_irqsave(&reporter->state_lock, flags);
	devlink_health_count_recovery(reporter);
	spin_unlock_irqrestore(&reporter->state_lock, flags);
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_recovery_done);

static enum devlink_health_reporter_state
devlink_health_state_get(struct devlink_health_reporter *reporter)
{
	enum devlink_health_reporter_state state;
	unsigned long flags;

	spin_lock_irqsave(&reporter->state_lock, flags);
	state = reporter->health_state;
	spin_unlock_irqrestore(&reporter->state_lock, flags);
	return state;
}

/* A recovery succeeded: count it and heal, in one step for readers. */
static void devlink_health_recovered(struct devlink_health_reporter *reporter)
{
	unsigned long flags;

	spin_lock_irqsave(&reporter->state_lock, flags);
	devlink_health_count_recovery(reporter);
	reporter->health_state = DEVLINK_HEALTH_REPORTER_STATE_HEALTHY;
	spin_unlock_irqrestore(&reporter->state_lock, flags);
}

/**
 * devlink_health_recover() - run the recover callback of a reporter
 * @reporter: the reporter
 * @priv_ctx: driver context of the report, NULL from user space
 * @extack: extended ack, may be NULL
 *
 * A healthy reporter has nothing to recover, whether or not it has a
 * recover callback. On success the reporter is healthy again and
 * listeners are told.
 *
 * Context: process context, instance lock held.
 * Return: 0 if healthy on return, -EOPNOTSUPP if unhealthy without a
 * recover callback, or the callback's error.
 */
int devlink_health_recover(struct devlink_health_reporter *reporter,
			   void *priv_ctx, struct netlink_ext_ack *extack)
{
	int err;

	devl_assert_locked(reporter->devlink);

	if (devlink_health_state_get(reporter) ==
	    DEVLINK_HEALTH_REPORTER_STATE_HEALTHY)
		return 0;
	if (!reporter->ops->recover) {
		NL_SET_ERR_MSG(extack, "Reporter has no recover operation");
		return -EOPNOTSUPP;
	}

	err = reporter->ops->recover(reporter, priv_ctx, extack);
	trace_devlink_health_recover_result(reporter->devlink,
					    reporter->ops->name, err);
	if (err)
		return err;

	devlink_health_recovered(reporter);
	devlink_health_notify(reporter);
	return 0;
}

/*
 * First step of a report: count the error, enter the error state and copy
 * what the recovery decision needs, in one critical section so that a
 * concurrent SET or recovery cannot be half seen.
 */
static void devlink_health_report_enter_error(struct devlink_health_reporter *reporter,
					      struct devlink_health_gate *gate,
					      bool *want_dump)
{
	unsigned long flags;

	spin_lock_irqsave(&reporter->state_lock, flags);
	reporter->error_count++;
	gate->prev_state = reporter->health_state;
	gate->auto_recover = reporter->cfg.auto_recover;
	gate->recovery_count = reporter->recovery_count;
	gate->last_recovery_ts = reporter->last_recovery_ts;
	gate->graceful_period = reporter->cfg.graceful_period;
	/* a hint only, checked again under dump_lock; saves the instance lock */
	*want_dump = reporter->cfg.auto_dump && !reporter->dump_fmsg;
	reporter->health_state = DEVLINK_HEALTH_REPORTER_STATE_ERROR;
	spin_unlock_irqrestore(&reporter->state_lock, flags);
}

/* Dump errors are not the reporter's error: the report goes on. */
static void devlink_health_auto_dump(struct devlink_health_reporter *reporter,
				     void *priv_ctx)
{
	devl_assert_locked(reporter->devlink);
	mutex_lock(&reporter->dump_lock);
	devlink_health_dump_ensure(reporter, priv_ctx, NULL);
	mutex_unlock(&reporter->dump_lock);
}

/**
 * devlink_health_report() - report an error detected by the driver
 * @reporter: the reporter
 * @msg: human readable description, for the trace point
 * @priv_ctx: driver context passed to the dump and recover callbacks
 *
 * Counts the error, moves the reporter to the error state and tells
 * listeners. Then, unless the automatic recovery is refused because the
 * previous error was not recovered or the grace period of the last
 * recovery has not passed, stores a dump if auto-dump is on and none is
 * stored yet, and runs the recovery if auto-recover is on.
 *
 * Context: process context, may sleep; takes the instance lock, which the
 * caller must not hold.
 * Return: 0 when recovered or when auto-recover is off, -ECANCELED when
 * the automatic recovery was refused, or the error of the recovery.
 */
int devlink_health_report(struct devlink_health_reporter *reporter,
			  const char *msg, void *priv_ctx)
{
	enum devlink_health_gate_verdict verdict;
	struct devlink *devlink = reporter->devlink;
	struct devlink_health_gate gate;
	unsigned long now;
	bool want_dump;
	int err = 0;

	WARN_ON(!msg);
	trace_devlink_health_report(devlink, reporter->ops->name, msg);
	devlink_health_report_enter_error(reporter, &gate, &want_dump);
	devlink_health_notify(reporter);

	now = devlink_health_now();
	verdict = devlink_health_recover_gate(&gate, now);
	if (verdict == DEVLINK_HEALTH_GATE_UNRECOVERED ||
	    verdict == DEVLINK_HEALTH_GATE_GRACE) {
		trace_devlink_health_recover_aborted(devlink,
						     reporter->ops->name,
						     DEVLINK_HEALTH_REPORTER_STATE_ERROR,
						     now - gate.last_recovery_ts);
		return -ECANCELED;
	}
	/* no instance lock when there is nothing to do under it */
	if (!want_dump && verdict != DEVLINK_HEALTH_GATE_RECOVER)
		return 0;

	devl_lock(devlink);
	if (want_dump)
		devlink_health_auto_dump(reporter, priv_ctx);
	if (verdict == DEVLINK_HEALTH_GATE_RECOVER)
		err = devlink_health_recover(reporter, priv_ctx, NULL);
	devl_unlock(devlink);
	return err;
}
EXPORT_SYMBOL_GPL(devlink_health_report);

/**
 * devlink_health_reporter_state_update() - set the health state
 * @reporter: the reporter
 * @state: DEVLINK_HEALTH_REPORTER_STATE_HEALTHY or _ERROR
 *
 * For drivers that learn about a recovery or a failure outside
 * devlink_health_report(). Listeners are told when the state changes.
 *
 * Context: process context, may sleep (notification).
 */
void
devlink_health_reporter_state_update(struct devlink_health_reporter *reporter,
				     enum devlink_health_reporter_state state)
{
	enum devlink_health_reporter_state old;
	unsigned long flags;

	if (WARN_ON(state != DEVLINK_HEALTH_REPORTER_STATE_HEALTHY &&
		    state != DEVLINK_HEALTH_REPORTER_STATE_ERROR))
		return;

	spin_lock_irqsave(&reporter->state_lock, flags);
	old = reporter->health_state;
	reporter->health_state = state;
	spin_unlock_irqrestore(&reporter->state_lock, flags);
	if (old == state)
		return;

	trace_devlink_health_reporter_state_update(reporter->devlink,
						   reporter->ops->name, state);
	devlink_health_notify(reporter);
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_state_update);
