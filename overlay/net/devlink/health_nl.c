// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devlink health: generic netlink handlers and notifications.
 *
 * Lifetimes: every doit runs between devlink_nl_pre_doit_port_optional()
 * and devlink_nl_post_doit(), i.e. with a reference on the instance and
 * its lock held. Reporters are destroyed only under that lock, so a
 * reporter looked up in a doit stays valid until the doit returns.
 *
 * Dumps span several recvmsg() calls and drop the lock in between, so
 * they keep no pointer across calls: each call takes the lock again and
 * finds its place by value. The reporter list (GET) resumes from a
 * (port, reporter id) key; the stored dump (DUMP_GET) looks the reporter
 * up by name again and resumes from an fmsg cursor, valid only while the
 * reporter's dump generation is unchanged. A reporter destroyed between
 * two messages ends a DUMP_GET read with -EINVAL, a dump cleared or
 * replaced ends it with -EAGAIN.
 */

#include <kunit/visibility.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "devl_internal.h"
#include "health.h"

/*
 * Later kernels number the burst period 181, after DEVLINK_ATTR_RATE_TC_BWS:
 * user space built against their header must encode the same attribute.
 */
static_assert(DEVLINK_ATTR_RATE_TC_BWS == 180);
static_assert(DEVLINK_ATTR_HEALTH_REPORTER_BURST_PERIOD == 181);

/**
 * devlink_nl_health_reporter_fill() - put one reporter message in @msg
 * @msg: message being built
 * @reporter: the reporter
 * @cmd: command of the message
 * @portid: netlink port of the destination
 * @seq: sequence number
 * @flags: netlink message flags
 *
 * The state and the counters are read without @reporter's lock, which
 * reports take from any context: each value is one that was current
 * during the call, not necessarily all from the same moment, as in 6.12.
 * A GET holds the instance lock, under which the policy and the stored
 * dump change, so those are consistent there.
 *
 * Context: any.
 * Return: 0, or -EMSGSIZE with @msg left as it was.
 */
VISIBLE_IF_KUNIT int
devlink_nl_health_reporter_fill(struct sk_buff *msg,
				struct devlink_health_reporter *reporter,
				enum devlink_command cmd, u32 portid, u32 seq,
				int flags)
{
	const struct devlink_health_reporter_ops *ops = reporter->ops;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &devlink_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (devlink_nl_put_handle(msg, reporter->devlink))
		goto msg_cancel;
	if (reporter->devlink_port &&
	    nla_put_u32(msg, DEVLINK_ATTR_PORT_INDEX,
			reporter->devlink_port->index))
		goto msg_cancel;

	nest = nla_nest_start_noflag(msg, DEVLINK_ATTR_HEALTH_REPORTER);
	if (!nest)
		goto msg_cancel;
	if (nla_put_string(msg, DEVLINK_ATTR_HEALTH_REPORTER_NAME, ops->name) ||
	    nla_put_u8(msg, DEVLINK_ATTR_HEALTH_REPORTER_STATE,
		       READ_ONCE(reporter->health_state)) ||
	    nla_put_u64_64bit(msg, DEVLINK_ATTR_HEALTH_REPORTER_ERR_COUNT,
			      READ_ONCE(reporter->error_count),
			      DEVLINK_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, DEVLINK_ATTR_HEALTH_REPORTER_RECOVER_COUNT,
			      READ_ONCE(reporter->recovery_count),
			      DEVLINK_ATTR_PAD))
		goto msg_cancel;
	if (ops->recover &&
	    (nla_put_u64_64bit(msg, DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD,
			       READ_ONCE(reporter->cfg.graceful_period),
			       DEVLINK_ATTR_PAD) ||
	     nla_put_u64_64bit(msg, DEVLINK_ATTR_HEALTH_REPORTER_BURST_PERIOD,
			       READ_ONCE(reporter->cfg.burst_period),
			       DEVLINK_ATTR_PAD) ||
	     nla_put_u8(msg, DEVLINK_ATTR_HEALTH_REPORTER_AUTO_RECOVER,
			READ_ONCE(reporter->cfg.auto_recover))))
		goto msg_cancel;
	if (READ_ONCE(reporter->dump_fmsg) &&
	    (nla_put_u64_64bit(msg, DEVLINK_ATTR_HEALTH_REPORTER_DUMP_TS,
			       jiffies_to_msecs(READ_ONCE(reporter->dump_ts)),
			       DEVLINK_ATTR_PAD) ||
	     nla_put_u64_64bit(msg, DEVLINK_ATTR_HEALTH_REPORTER_DUMP_TS_NS,
			       READ_ONCE(reporter->dump_real_ts),
			       DEVLINK_ATTR_PAD)))
		goto msg_cancel;
	if (ops->dump &&
	    nla_put_u8(msg, DEVLINK_ATTR_HEALTH_REPORTER_AUTO_DUMP,
		       READ_ONCE(reporter->cfg.auto_dump)))
		goto msg_cancel;
	nla_nest_end(msg, nest);

	genlmsg_end(msg, hdr);
	return 0;

msg_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_nl_health_reporter_fill);

/**
 * devlink_health_notify_send() - tell listeners about a reporter's new state
 * @reporter: the reporter
 *
 * Sends DEVLINK_CMD_HEALTH_REPORTER_RECOVER with the reporter attributes,
 * as 6.12 does for every state change. The caller, devlink_health_notify()
 * in health.c, calls it only when somebody listens; a listener gone since
 * then receives nothing, like any multicast without members. Nothing is sent
 * before the instance is registered (user space cannot know it yet). The
 * registered test is lockless because reports do not hold the instance
 * lock; a race with unregister at worst sends one message about an
 * instance being removed, which listeners already have to handle.
 *
 * Context: process context, may sleep; instance lock may be held.
 */
void devlink_health_notify_send(struct devlink_health_reporter *reporter)
{
	struct devlink *devlink = reporter->devlink;
	struct devlink_obj_desc desc;
	struct sk_buff *msg;

	if (!__devl_is_registered(devlink))
		return;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (devlink_nl_health_reporter_fill(msg, reporter,
					    DEVLINK_CMD_HEALTH_REPORTER_RECOVER,
					    0, 0, 0)) {
		nlmsg_free(msg);
		return;
	}

	devlink_nl_obj_desc_init(&desc, devlink);
	if (reporter->devlink_port)
		devlink_nl_obj_desc_port_set(&desc, reporter->devlink_port);
	devlink_nl_notify_send_desc(devlink, msg, &desc);
}

/*
 * The reporter named in the request, among @port's reporters or, without
 * a port, the instance's. Unknown names get -EINVAL like 6.12, with the
 * name attribute pointed at.
 */
static struct devlink_health_reporter *
devlink_nl_health_reporter_lookup(struct devlink *devlink,
				  struct devlink_port *port,
				  const struct genl_info *info)
{
	struct devlink_health_reporter *reporter;
	struct nlattr *name;

	if (GENL_REQ_ATTR_CHECK(info, DEVLINK_ATTR_HEALTH_REPORTER_NAME))
		return ERR_PTR(-EINVAL);

	name = info->attrs[DEVLINK_ATTR_HEALTH_REPORTER_NAME];
	reporter = devlink_health_reporter_find(devlink, port, nla_data(name));
	if (!reporter) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "Unknown health reporter");
		return ERR_PTR(-EINVAL);
	}
	return reporter;
}

/* For doits: pre_doit found the instance and, if given and valid, the port. */
static struct devlink_health_reporter *
devlink_nl_health_reporter_from_info(struct genl_info *info)
{
	return devlink_nl_health_reporter_lookup(info->user_ptr[0],
						 info->user_ptr[1], info);
}

int devlink_nl_health_reporter_get_doit(struct sk_buff *skb,
					struct genl_info *info)
{
	struct devlink_health_reporter *reporter;
	struct sk_buff *msg;
	int err;

	reporter = devlink_nl_health_reporter_from_info(info);
	if (IS_ERR(reporter))
		return PTR_ERR(reporter);

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = devlink_nl_health_reporter_fill(msg, reporter,
					      DEVLINK_CMD_HEALTH_REPORTER_GET,
					      info->snd_portid, info->snd_seq,
					      0);
	if (err)
		goto free_msg;
	return genlmsg_reply(msg, info);

free_msg:
	nlmsg_free(msg);
	return err;
}

/*
 * A GET dump that fills a message stores, in the devlink dump state, the
 * key of the reporter that did not fit: health_slot, the list it is on
 * (0 for the instance's own reporters, port index + 1 for a port's), and
 * health_id, its &devlink_health_reporter.id. Lists are walked in slot
 * order and each list is sorted by id, so resuming at the first reporter
 * at or after (health_slot, health_id) neither repeats nor skips a
 * reporter that existed during the whole dump, whatever was created or
 * destroyed in between. devlink_nl_dumpit() resets idx to 0 when it moves
 * to the next instance; idx is 1 while a key is stored, so a key is only
 * used for the instance it was taken on.
 */
static int devlink_nl_health_list_put(struct sk_buff *msg,
				      struct list_head *list, u64 slot,
				      struct netlink_callback *cb, int flags)
{
	struct devlink_nl_dump_state *state = devlink_dump_state(cb);
	struct devlink_health_reporter *reporter;
	int err;

	list_for_each_entry(reporter, list, list) {
		if (state->idx && slot == state->health_slot &&
		    reporter->id < state->health_id)
			continue;
		err = devlink_nl_health_reporter_fill(msg, reporter,
						      DEVLINK_CMD_HEALTH_REPORTER_GET,
						      NETLINK_CB(cb->skb).portid,
						      cb->nlh->nlmsg_seq, flags);
		if (err) {
			state->idx = 1;
			state->health_slot = slot;
			state->health_id = reporter->id;
			return err;
		}
	}
	return 0;
}

static int devlink_nl_health_reporter_get_dump_one(struct sk_buff *msg,
						   struct devlink *devlink,
						   struct netlink_callback *cb,
						   int flags)
{
	struct devlink_nl_dump_state *state = devlink_dump_state(cb);
	struct nlattr **attrs = genl_info_dump(cb)->attrs;
	unsigned long first = 0, last = ULONG_MAX;
	struct devlink_port *port;
	unsigned long index;
	int err;

	if (attrs && attrs[DEVLINK_ATTR_PORT_INDEX]) {
		first = nla_get_u32(attrs[DEVLINK_ATTR_PORT_INDEX]);
		last = first;
		flags |= NLM_F_DUMP_FILTERED;
	} else if (!state->idx || !state->health_slot) {
		err = devlink_nl_health_list_put(msg, &devlink->reporter_list,
						 0, cb, flags);
		if (err)
			return err;
	}

	if (state->idx && state->health_slot)
		first = max_t(unsigned long, first, state->health_slot - 1);
	xa_for_each_range(&devlink->ports, index, port, first, last) {
		err = devlink_nl_health_list_put(msg, &port->reporter_list,
						 (u64)index + 1, cb, flags);
		if (err)
			return err;
	}
	return 0;
}

int devlink_nl_health_reporter_get_dumpit(struct sk_buff *skb,
					  struct netlink_callback *cb)
{
	return devlink_nl_dumpit(skb, cb,
				 devlink_nl_health_reporter_get_dump_one);
}

/*
 * The periods of a SET, on top of the current ones in @cfg. A grace period
 * of 0 turns the burst period off; a burst period needs a grace period
 * (the one set in the same request, if any), as a burst window is the
 * delay before a grace period starts.
 */
static int devlink_nl_health_periods_set(struct devlink_health_config *cfg,
					 struct genl_info *info)
{
	struct nlattr *grace = info->attrs[DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD];
	struct nlattr *burst = info->attrs[DEVLINK_ATTR_HEALTH_REPORTER_BURST_PERIOD];

	if (grace) {
		cfg->graceful_period = nla_get_u64(grace);
		if (!cfg->graceful_period)
			cfg->burst_period = 0;
	}
	if (burst) {
		if (nla_get_u64(burst) && !cfg->graceful_period) {
			NL_SET_ERR_MSG_ATTR(info->extack, burst,
					    "Burst period needs a grace period");
			return -EINVAL;
		}
		cfg->burst_period = nla_get_u64(burst);
	}
	return 0;
}

int devlink_nl_health_reporter_set_doit(struct sk_buff *skb,
					struct genl_info *info)
{
	struct nlattr *grace = info->attrs[DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD];
	struct nlattr *burst = info->attrs[DEVLINK_ATTR_HEALTH_REPORTER_BURST_PERIOD];
	struct nlattr *recover = info->attrs[DEVLINK_ATTR_HEALTH_REPORTER_AUTO_RECOVER];
	struct nlattr *dump = info->attrs[DEVLINK_ATTR_HEALTH_REPORTER_AUTO_DUMP];
	struct devlink_health_reporter *reporter;
	struct devlink_health_config cfg;
	int err;

	reporter = devlink_nl_health_reporter_from_info(info);
	if (IS_ERR(reporter))
		return PTR_ERR(reporter);

	/* validate everything first: a refused SET changes nothing */
	if (!reporter->ops->recover && (grace || burst || recover)) {
		NL_SET_ERR_MSG_ATTR(info->extack, grace ?: burst ?: recover,
				    "Reporter has no recover operation");
		return -EOPNOTSUPP;
	}
	if (!reporter->ops->dump && dump) {
		NL_SET_ERR_MSG_ATTR(info->extack, dump,
				    "Reporter has no dump operation");
		return -EOPNOTSUPP;
	}

	devlink_health_config_get(reporter, &cfg);
	err = devlink_nl_health_periods_set(&cfg, info);
	if (err)
		return err;
	if (recover)
		cfg.auto_recover = nla_get_u8(recover);
	if (dump)
		cfg.auto_dump = nla_get_u8(dump);
	devlink_health_config_set(reporter, &cfg);
	return 0;
}

int devlink_nl_health_reporter_recover_doit(struct sk_buff *skb,
					    struct genl_info *info)
{
	struct devlink_health_reporter *reporter;

	reporter = devlink_nl_health_reporter_from_info(info);
	if (IS_ERR(reporter))
		return PTR_ERR(reporter);

	return devlink_health_recover(reporter, NULL, info->extack);
}

static bool devlink_fmsg_cursor_eq(const struct devlink_fmsg_cursor *a,
				   const struct devlink_fmsg_cursor *b)
{
	return a->chunk == b->chunk && a->offset == b->offset;
}

/*
 * Put as much of @fmsg as fits in @skb, from @cursor on. Running out of
 * room after some progress is how a long fmsg is split across messages,
 * not an error; running out of room before any is.
 */
static int devlink_nl_health_fmsg_put(struct sk_buff *skb,
				      const struct devlink_fmsg *fmsg,
				      struct devlink_fmsg_cursor *cursor)
{
	struct devlink_fmsg_cursor start = *cursor;
	int err;

	err = devlink_fmsg_fill(fmsg, skb, cursor);
	if (err == -EMSGSIZE && !devlink_fmsg_cursor_eq(&start, cursor))
		return 0;
	return err;
}

/*
 * Sizes of the messages of a DIAGNOSE reply, headers included. A doit
 * reply, unlike a dump, is not sized after the reader's buffer, and
 * libmnl-based tools such as devlink receive with MNL_SOCKET_BUFFER_SIZE,
 * min(page size, 8192) bytes: a longer message reaches them truncated and
 * they fail. Messages are filled up to NLMSG_GOODSIZE, whose skb takes one
 * page: the reader is in its sendmsg() until the doit has queued the whole
 * reply, so its receive buffer must hold all of it, and skbs twice the
 * size for the same bytes would halve the largest reply it can take. An
 * item too big for such a message (a name or value over about
 * NLMSG_GOODSIZE - 36 bytes; binary data is stored in smaller values)
 * gets a message of its own of up to DEVLINK_NL_HEALTH_REPLY_MAX: with
 * pages of up to 8 KiB, any item fits one, the largest making a message
 * of GENLMSG_DEFAULT_SIZE + 28 bytes.
 */
#define DEVLINK_NL_HEALTH_REPLY_SIZE	NLMSG_GOODSIZE
#define DEVLINK_NL_HEALTH_REPLY_MAX	min_t(unsigned int, PAGE_SIZE, SZ_8K)

static int devlink_nl_health_fmsg_reply_part(const struct devlink_fmsg *fmsg,
					     struct devlink_fmsg_cursor *cursor,
					     struct genl_info *info,
					     enum devlink_command cmd,
					     unsigned int size)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = alloc_skb(size, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	/*
	 * kmalloc() may round the buffer up: give the fill no more tail
	 * room than asked, as netlink_dump() does for dump messages.
	 */
	skb_reserve(skb, skb_tailroom(skb) - size);
	hdr = genlmsg_put(skb, info->snd_portid, info->snd_seq,
			  &devlink_nl_family, NLM_F_MULTI, cmd);
	if (!hdr) {
		err = -EMSGSIZE;
		goto free_skb;
	}
	err = devlink_nl_health_fmsg_put(skb, fmsg, cursor);
	if (err)
		goto free_skb;
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);

free_skb:
	nlmsg_free(skb);
	return err;
}

static int devlink_nl_health_reply_done(struct genl_info *info)
{
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(0, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	nlh = nlmsg_put(skb, info->snd_portid, info->snd_seq, NLMSG_DONE, 0,
			NLM_F_MULTI);
	if (!nlh) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	return genlmsg_reply(skb, info);
}

/*
 * Answer a doit with a whole fmsg: as many NLM_F_MULTI messages as it
 * takes, then NLMSG_DONE, the wire format 6.12 uses for DIAGNOSE. Each
 * message resumes from the cursor, so the cost is linear in the size.
 */
static int devlink_nl_health_fmsg_reply(const struct devlink_fmsg *fmsg,
					struct genl_info *info,
					enum devlink_command cmd)
{
	struct devlink_fmsg_cursor cursor = {};
	int err;

	do {
		err = devlink_nl_health_fmsg_reply_part(fmsg, &cursor, info,
							cmd,
							DEVLINK_NL_HEALTH_REPLY_SIZE);
		/* nothing sent: the next item needs a message of its own */
		if (err == -EMSGSIZE)
			err = devlink_nl_health_fmsg_reply_part(fmsg, &cursor,
								info, cmd,
								DEVLINK_NL_HEALTH_REPLY_MAX);
		if (err)
			return err;
	} while (!devlink_fmsg_cursor_done(fmsg, &cursor));

	return devlink_nl_health_reply_done(info);
}

int devlink_nl_health_reporter_diagnose_doit(struct sk_buff *skb,
					     struct genl_info *info)
{
	struct devlink_health_reporter *reporter;
	struct devlink_fmsg *fmsg;
	int err;

	reporter = devlink_nl_health_reporter_from_info(info);
	if (IS_ERR(reporter))
		return PTR_ERR(reporter);
	if (!reporter->ops->diagnose) {
		NL_SET_ERR_MSG(info->extack,
			       "Reporter has no diagnose operation");
		return -EOPNOTSUPP;
	}
	err = devlink_health_check_open(reporter, info->extack);
	if (err)
		return err;

	fmsg = devlink_fmsg_alloc();
	if (!fmsg)
		return -ENOMEM;

	devlink_fmsg_obj_nest_start(fmsg);
	err = reporter->ops->diagnose(reporter, fmsg, info->extack);
	if (err)
		goto free_fmsg;
	devlink_fmsg_obj_nest_end(fmsg);
	err = devlink_fmsg_finish(fmsg);
	if (err)
		goto free_fmsg;
	devlink_health_fmsg_check(reporter, fmsg);

	err = devlink_nl_health_fmsg_reply(fmsg, info,
					   DEVLINK_CMD_HEALTH_REPORTER_DIAGNOSE);

free_fmsg:
	devlink_fmsg_free(fmsg);
	return err;
}

/**
 * struct devlink_nl_health_dump_ctx - DUMP_GET read position
 * @cursor: where the next message resumes in the stored dump
 * @gen: &devlink_health_reporter.dump_gen of the dump being read, 0
 *	before the first message (a stored dump's generation is never 0)
 * @reporter_id: &devlink_health_reporter.id of the reporter being read.
 *	Generations are per reporter and restart with a new one: a reporter
 *	destroyed and re-created under the same name between two messages
 *	can show the same generation for a different dump, and only the id,
 *	unique for the life of the system, tells them apart.
 *
 * Own type rather than struct devlink_nl_dump_state: this dumpit does not
 * go through devlink_nl_dumpit(), so nothing else reads cb->ctx, and a
 * typed cursor and generation say what they are.
 */
struct devlink_nl_health_dump_ctx {
	struct devlink_fmsg_cursor cursor;
	u64 gen;
	u64 reporter_id;
};

static struct devlink_nl_health_dump_ctx *
devlink_nl_health_dump_ctx(struct netlink_callback *cb)
{
	NL_ASSERT_DUMP_CTX_FITS(struct devlink_nl_health_dump_ctx);

	return (struct devlink_nl_health_dump_ctx *)cb->ctx;
}

/*
 * One message of a stored dump. The first one takes a dump if none is
 * stored and pins its generation; the following ones refuse to go on if
 * the dump was cleared or replaced meanwhile, since the cursor points into
 * the old one.
 */
static int devlink_nl_health_dump_read(struct sk_buff *skb,
				       struct netlink_callback *cb,
				       struct devlink_health_reporter *reporter)
{
	struct devlink_nl_health_dump_ctx *ctx = devlink_nl_health_dump_ctx(cb);
	void *hdr;
	int err;

	devl_assert_locked(reporter->devlink);

	if (!ctx->gen) {
		err = devlink_health_dump_ensure(reporter, NULL, cb->extack);
		if (err)
			return err;
		ctx->gen = reporter->dump_gen;
		ctx->reporter_id = reporter->id;
	} else if (ctx->reporter_id != reporter->id) {
		NL_SET_ERR_MSG(cb->extack,
			       "Health reporter re-created during the read, retry");
		return -EAGAIN;
	} else if (ctx->gen != reporter->dump_gen) {
		NL_SET_ERR_MSG(cb->extack,
			       "Health dump changed during the read, retry");
		return -EAGAIN;
	}

	/*
	 * Same generation, so the dump read so far is still the stored one.
	 * NLM_F_ACK means nothing on a dump message, but 6.12 sets it: keep
	 * the wire identical.
	 */
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &devlink_nl_family, NLM_F_ACK | NLM_F_MULTI,
			  DEVLINK_CMD_HEALTH_REPORTER_DUMP_GET);
	if (!hdr)
		return -EMSGSIZE;
	err = devlink_nl_health_fmsg_put(skb, reporter->dump_fmsg,
					 &ctx->cursor);
	if (err) {
		genlmsg_cancel(skb, hdr);
		return err;
	}
	genlmsg_end(skb, hdr);
	/*
	 * At the end, finish the read in this call (netlink appends
	 * NLMSG_DONE): a later call could only fail on a newer generation.
	 */
	if (devlink_fmsg_cursor_done(reporter->dump_fmsg, &ctx->cursor))
		return 0;
	return skb->len;
}

int devlink_nl_health_reporter_dump_get_dumpit(struct sk_buff *skb,
					       struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct devlink_health_reporter *reporter;
	struct devlink_port *port;
	struct devlink *devlink;
	int err;

	devlink = devlink_get_from_attrs_lock(sock_net(cb->skb->sk),
					      info->attrs, false);
	if (IS_ERR(devlink)) {
		/* 6.12 answers -EINVAL whatever the lookup failure */
		NL_SET_ERR_MSG(cb->extack, "devlink instance not found");
		return -EINVAL;
	}

	/* like pre_doit_port_optional: an unknown port means no port */
	port = devlink_port_get_from_attrs(devlink, info->attrs);
	if (IS_ERR(port))
		port = NULL;

	reporter = devlink_nl_health_reporter_lookup(devlink, port, info);
	if (IS_ERR(reporter)) {
		err = PTR_ERR(reporter);
		goto unlock;
	}
	if (!reporter->ops->dump) {
		NL_SET_ERR_MSG(cb->extack, "Reporter has no dump operation");
		err = -EOPNOTSUPP;
		goto unlock;
	}

	err = devlink_nl_health_dump_read(skb, cb, reporter);
unlock:
	devl_unlock(devlink);
	devlink_put(devlink);
	return err;
}

int devlink_nl_health_reporter_dump_clear_doit(struct sk_buff *skb,
					       struct genl_info *info)
{
	struct devlink_health_reporter *reporter;

	reporter = devlink_nl_health_reporter_from_info(info);
	if (IS_ERR(reporter))
		return PTR_ERR(reporter);
	if (!reporter->ops->dump) {
		NL_SET_ERR_MSG(info->extack, "Reporter has no dump operation");
		return -EOPNOTSUPP;
	}

	devlink_health_dump_clear(reporter);
	return 0;
}

int devlink_nl_health_reporter_test_doit(struct sk_buff *skb,
					 struct genl_info *info)
{
	struct devlink_health_reporter *reporter;
	int err;

	reporter = devlink_nl_health_reporter_from_info(info);
	if (IS_ERR(reporter))
		return PTR_ERR(reporter);
	if (!reporter->ops->test) {
		NL_SET_ERR_MSG(info->extack, "Reporter has no test operation");
		return -EOPNOTSUPP;
	}
	err = devlink_health_check_open(reporter, info->extack);
	if (err)
		return err;

	return reporter->ops->test(reporter, info->extack);
}
