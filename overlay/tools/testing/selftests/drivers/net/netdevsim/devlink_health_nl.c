// SPDX-License-Identifier: GPL-2.0
/*
 * Raw generic netlink client of the devlink health robustness selftests
 * (devlink_health_stress.sh, devlink_health_badinput.sh and
 * devlink_health_faults.sh).
 *
 * No netlink library on purpose: the tests must send what a well-behaved
 * library never would (bad lengths, missing attributes, dumps abandoned
 * halfway) and must scope fault injection to the system calls of one
 * request, with nothing else of the process allocating in between.
 *
 * Usage: devlink_health_nl SUBCOMMAND [options], see print_usage(). Every
 * subcommand prints plain lines and exits 0 when all it checked held, 1
 * when something did not, 2 on a usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/devlink.h>
#include <linux/types.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/*
 * Value types of fmsg items (enum netlink_attribute_type of the kernel's
 * include/net/netlink.h, not in the uapi) and the healthy state (enum
 * devlink_health_reporter_state of include/net/devlink.h).
 */
#define FMSG_TYPE_U32		3
#define FMSG_TYPE_NUL_STRING	10
#define STATE_HEALTHY		0

#define MSG_BUF_SIZE	(96 * 1024)
#define RECV_BUF_SIZE	(64 * 1024)
#define RECV_TIMEOUT_S	20
#define MAX_OPS		16
#define MAX_ERRNOS	8
#define MAX_NOTES	5

/* Options shared by the subcommands. */
struct opts {
	const char *bus;
	const char *dev;
	const char *reporter;
	const char *label;
	const char *ops;
	const char *allow;
	const char *knob;
	const char *value;
	const char *mode;
	const char *scenario;
	const char *sysdev;
	long port;
	long port_first;
	long port_last;
	double seconds;
	long count;
	long nth_max;
	long nth_step_after;
	long nth_step;
	long elems;
};

static struct opts o = {
	.bus = "netdevsim",
	.port = -1,
	.port_first = -1,
	.port_last = -1,
	.seconds = 10,
	.count = 20,
	.nth_max = 400,
	.nth_step_after = 1000000,
	.nth_step = 1,
};

static u16 devlink_family;
static u32 devlink_mcgrp_config;

/* A request under construction: netlink header, genl header, attributes. */
struct msg {
	unsigned char *buf;
	size_t len;
};

/* What came back for one request. */
struct reply {
	int err;		/* 0 or a positive errno; ETIMEDOUT: no answer */
	bool ext_msg;		/* extack carried a message */
	char ext_text[256];
	bool ext_offs;		/* extack pointed at an attribute */
	bool ext_miss;		/* extack named a missing attribute */
	u32 miss_type;
	int msgs;		/* data messages */
	/* GET */
	int reporters;
	int state;
	u64 errors;
	u64 recovers;
	u64 grace;
	int auto_recover;	/* -1: not shown */
	int auto_dump;		/* -1: not shown */
	bool dump_stored;
	/* fmsg (DIAGNOSE, DUMP_GET) */
	int depth;
	int items;
	bool malformed;
	char why[96];
	char last_name[64];
	int value_type;
	bool have_seq;
	u32 dump_seq;
	u32 elems;
	bool elem_gap;
	bool have_break;
	char break_msg[256];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "devlink_health_nl: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* errno names, for plain output and for the --allow lists */
static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ 0, "OK" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
	{ EINTR, "EINTR" }, { EIO, "EIO" }, { EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { EMSGSIZE, "EMSGSIZE" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOBUFS, "ENOBUFS" },
	{ ETIMEDOUT, "ETIMEDOUT" }, { ECANCELED, "ECANCELED" },
	{ ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
};

static const char *errname(int err)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	snprintf(buf, sizeof(buf), "errno%d", err);
	return buf;
}

static int errnum(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (!strcasecmp(errno_names[i].name, name))
			return errno_names[i].err;
	die("unknown errno name '%s'", name);
	return 0;
}

/* Is @err in the comma separated list of errno names @list? */
static bool err_in(int err, const char *list)
{
	char buf[256], *tok, *save;

	if (!list)
		return false;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (errnum(tok) == err)
			return true;
	return false;
}

/*
 * Message building
 */

static void msg_init(struct msg *m, u16 type, u8 cmd, u16 flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	if (!m->buf) {
		m->buf = calloc(1, MSG_BUF_SIZE);
		if (!m->buf)
			die("out of memory");
	}
	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh = (struct nlmsghdr *)m->buf;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = 1;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

/* An attribute whose header claims @nla_len, followed by @len bytes. */
static void msg_put_raw(struct msg *m, u16 nla_len, u16 type,
			const void *data, size_t len)
{
	struct nlattr *nla;
	size_t pad = NLA_ALIGN(NLA_HDRLEN + len) - (NLA_HDRLEN + len);

	if (m->len + NLA_HDRLEN + len + pad > MSG_BUF_SIZE)
		die("request too large");
	nla = (struct nlattr *)(m->buf + m->len);
	nla->nla_len = nla_len;
	nla->nla_type = type;
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0, pad);
	m->len += NLA_HDRLEN + len + pad;
}

static void msg_put(struct msg *m, u16 type, const void *data, size_t len)
{
	if (NLA_HDRLEN + len > 0xffff)
		die("attribute too large");
	msg_put_raw(m, NLA_HDRLEN + len, type, data, len);
}

static void msg_put_str(struct msg *m, u16 type, const char *s)
{
	msg_put(m, type, s, strlen(s) + 1);
}

static void msg_put_u8(struct msg *m, u16 type, u8 v)
{
	msg_put(m, type, &v, sizeof(v));
}

static void msg_put_u32(struct msg *m, u16 type, u32 v)
{
	msg_put(m, type, &v, sizeof(v));
}

static void msg_put_u64(struct msg *m, u16 type, u64 v)
{
	msg_put(m, type, &v, sizeof(v));
}

/* Bus, device, optional port and reporter: the handle of every request. */
static void msg_put_handle(struct msg *m, const char *dev, long port,
			   const char *reporter)
{
	msg_put_str(m, DEVLINK_ATTR_BUS_NAME, o.bus);
	msg_put_str(m, DEVLINK_ATTR_DEV_NAME, dev);
	if (port >= 0)
		msg_put_u32(m, DEVLINK_ATTR_PORT_INDEX, port);
	if (reporter)
		msg_put_str(m, DEVLINK_ATTR_HEALTH_REPORTER_NAME, reporter);
}

/*
 * Socket
 */

static int nl_socket(void)
{
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("setsockopt: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind: %s", strerror(errno));
	return fd;
}

static u32 seq_next(void)
{
	static u32 seq;

	if (!seq)
		seq = (u32)time(NULL) << 8;
	return ++seq;
}

static int send_msg(int fd, struct msg *m, u32 seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	nlh->nlmsg_len = m->len;
	nlh->nlmsg_seq = seq;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return errno;
	return 0;
}

/* Send @len bytes of @m as they are, without fixing the header up. */
static int send_raw(int fd, struct msg *m, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(fd, m->buf, len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return errno;
	return 0;
}

/* Walks the attributes of a buffer; a malformed one ends the walk. */
struct nla_iter {
	char *pos;
	int rem;
};

static struct nla_iter nla_iter_init(void *start, int len)
{
	struct nla_iter it = { .pos = start, .rem = len };

	return it;
}

static struct nlattr *nla_iter_next(struct nla_iter *it)
{
	struct nlattr *nla = (struct nlattr *)it->pos;

	if (it->rem < NLA_HDRLEN || nla->nla_len < NLA_HDRLEN ||
	    nla->nla_len > it->rem)
		return NULL;
	it->pos += NLA_ALIGN(nla->nla_len);
	it->rem -= NLA_ALIGN(nla->nla_len);
	return nla;
}

static void *nla_data_of(struct nlattr *nla)
{
	return (char *)nla + NLA_HDRLEN;
}

static int nla_payload(struct nlattr *nla)
{
	return nla->nla_len - NLA_HDRLEN;
}

static u64 nla_uint(struct nlattr *nla)
{
	u64 v = 0;
	int len = nla_payload(nla);

	if (len == 1)
		v = *(u8 *)nla_data_of(nla);
	else if (len == 2)
		v = *(u16 *)nla_data_of(nla);
	else if (len == 4)
		v = *(u32 *)nla_data_of(nla);
	else if (len == 8)
		memcpy(&v, nla_data_of(nla), 8);
	return v;
}

static void copy_str(char *dst, size_t size, struct nlattr *nla)
{
	int len = nla_payload(nla);

	if (len >= (int)size)
		len = size - 1;
	memcpy(dst, nla_data_of(nla), len);
	dst[len] = '\0';
}

/* The TLVs after the error code of an NLMSG_ERROR or NLMSG_DONE. */
static void parse_extack(struct reply *r, struct nlattr *start, int len)
{
	struct nla_iter it = nla_iter_init(start, len);
	struct nlattr *nla;

	while ((nla = nla_iter_next(&it))) {
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			r->ext_msg = true;
			copy_str(r->ext_text, sizeof(r->ext_text), nla);
			break;
		case NLMSGERR_ATTR_OFFS:
			r->ext_offs = true;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			r->ext_miss = true;
			r->miss_type = nla_uint(nla);
			break;
		}
	}
}

static void parse_error(struct reply *r, struct nlmsghdr *nlh)
{
	int plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	char *p = NLMSG_DATA(nlh);
	int err = 0, off;

	if (plen >= (int)sizeof(int))
		memcpy(&err, p, sizeof(int));
	r->err = -err;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* With NETLINK_CAP_ACK an error echoes only the request header. */
	off = nlh->nlmsg_type == NLMSG_ERROR ?
	      (int)sizeof(struct nlmsgerr) : (int)sizeof(int);
	if (plen > off)
		parse_extack(r, (struct nlattr *)(p + off), plen - off);
}

static void fmsg_bad(struct reply *r, const char *why)
{
	if (!r->malformed)
		snprintf(r->why, sizeof(r->why), "%s", why);
	r->malformed = true;
}

/*
 * One fmsg item. Nesting is checked, "dump_seq", "elem" and
 * "break_message" values are picked up: netdevsim tags element i of a
 * dump with dump_seq + i, so a read stitched from two dumps shows a gap.
 */
static void fmsg_item(struct reply *r, struct nlattr *nla)
{
	u64 v;

	r->items++;
	switch (nla->nla_type & NLA_TYPE_MASK) {
	case DEVLINK_ATTR_FMSG_OBJ_NEST_START:
	case DEVLINK_ATTR_FMSG_PAIR_NEST_START:
	case DEVLINK_ATTR_FMSG_ARR_NEST_START:
		r->depth++;
		break;
	case DEVLINK_ATTR_FMSG_NEST_END:
		if (--r->depth < 0)
			fmsg_bad(r, "unbalanced nest end");
		break;
	case DEVLINK_ATTR_FMSG_OBJ_NAME:
		copy_str(r->last_name, sizeof(r->last_name), nla);
		break;
	case DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE:
		r->value_type = nla_uint(nla);
		break;
	case DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA:
		if (r->value_type < 0)
			fmsg_bad(r, "value without type");
		if (!strcmp(r->last_name, "break_message") &&
		    r->value_type == FMSG_TYPE_NUL_STRING) {
			r->have_break = true;
			copy_str(r->break_msg, sizeof(r->break_msg), nla);
		}
		if (r->value_type != FMSG_TYPE_U32)
			break;
		v = nla_uint(nla);
		if (!strcmp(r->last_name, "dump_seq")) {
			r->have_seq = true;
			r->dump_seq = v;
		} else if (!strcmp(r->last_name, "elem")) {
			if (!r->have_seq || v != (u32)(r->dump_seq + r->elems))
				r->elem_gap = true;
			r->elems++;
		}
		break;
	default:
		fmsg_bad(r, "unknown fmsg item");
	}
}

static void parse_reporter(struct reply *r, struct nlattr *nest)
{
	struct nla_iter it = nla_iter_init(nla_data_of(nest), nla_payload(nest));
	struct nlattr *nla;

	r->reporters++;
	while ((nla = nla_iter_next(&it))) {
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case DEVLINK_ATTR_HEALTH_REPORTER_STATE:
			r->state = nla_uint(nla);
			break;
		case DEVLINK_ATTR_HEALTH_REPORTER_ERR_COUNT:
			r->errors = nla_uint(nla);
			break;
		case DEVLINK_ATTR_HEALTH_REPORTER_RECOVER_COUNT:
			r->recovers = nla_uint(nla);
			break;
		case DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD:
			r->grace = nla_uint(nla);
			break;
		case DEVLINK_ATTR_HEALTH_REPORTER_AUTO_RECOVER:
			r->auto_recover = nla_uint(nla);
			break;
		case DEVLINK_ATTR_HEALTH_REPORTER_AUTO_DUMP:
			r->auto_dump = nla_uint(nla);
			break;
		case DEVLINK_ATTR_HEALTH_REPORTER_DUMP_TS_NS:
			r->dump_stored = true;
			break;
		}
	}
}

static void parse_data(struct reply *r, struct nlmsghdr *nlh)
{
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct nla_iter it, items;
	struct nlattr *nla, *item;

	r->msgs++;
	if (len < 0)
		return;
	it = nla_iter_init((char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len);
	while ((nla = nla_iter_next(&it))) {
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case DEVLINK_ATTR_HEALTH_REPORTER:
			parse_reporter(r, nla);
			break;
		case DEVLINK_ATTR_FMSG:
			items = nla_iter_init(nla_data_of(nla), nla_payload(nla));
			while ((item = nla_iter_next(&items)))
				fmsg_item(r, item);
			break;
		}
	}
}

static void reply_init(struct reply *r)
{
	memset(r, 0, sizeof(*r));
	r->auto_recover = -1;
	r->auto_dump = -1;
	r->value_type = -1;
}

/*
 * Read the answer to request @seq: a do ends with its ack (NLMSG_ERROR),
 * a dump with NLMSG_DONE (or an NLMSG_ERROR if it did not start). Stops
 * after @max_msgs data messages when that is not 0, leaving the rest.
 */
static void recv_reply(int fd, u32 seq, bool dump, struct reply *r,
		       int max_msgs)
{
	static unsigned char *buf;
	struct nlmsghdr *nlh;
	bool done = false;
	ssize_t n;

	if (!buf) {
		buf = malloc(RECV_BUF_SIZE);
		if (!buf)
			die("out of memory");
	}
	while (!done) {
		n = recv(fd, buf, RECV_BUF_SIZE, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r->err = (errno == EAGAIN || errno == EWOULDBLOCK) ?
				 ETIMEDOUT : errno;
			return;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_error(r, nlh);
				done = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				parse_error(r, nlh);
				if (dump || r->err)
					done = true;
			} else {
				parse_data(r, nlh);
				if (max_msgs && r->msgs >= max_msgs)
					return;
			}
		}
	}
	if (!r->err && r->items && !r->malformed && r->depth)
		fmsg_bad(r, "nests left open");
}

/* Send @m and read the whole answer into @r; returns r->err. */
static int transact(int fd, struct msg *m, struct reply *r)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	u32 seq = seq_next();
	int err;

	reply_init(r);
	if (!dump)
		nlh->nlmsg_flags |= NLM_F_ACK;
	err = send_msg(fd, m, seq);
	if (err) {
		r->err = err;
		return err;
	}
	recv_reply(fd, seq, dump, r, 0);
	return r->err;
}

/* The multicast groups of CTRL_CMD_GETFAMILY: keep "config"'s id. */
static void parse_mcast_groups(struct nlattr *groups)
{
	struct nla_iter it = nla_iter_init(nla_data_of(groups),
					   nla_payload(groups));
	struct nlattr *grp, *ga;
	struct nla_iter git;
	char name[32];
	u32 id;

	while ((grp = nla_iter_next(&it))) {
		git = nla_iter_init(nla_data_of(grp), nla_payload(grp));
		name[0] = '\0';
		id = 0;
		while ((ga = nla_iter_next(&git))) {
			if (ga->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
				copy_str(name, sizeof(name), ga);
			if (ga->nla_type == CTRL_ATTR_MCAST_GRP_ID)
				id = nla_uint(ga);
		}
		if (!strcmp(name, DEVLINK_GENL_MCGRP_CONFIG_NAME))
			devlink_mcgrp_config = id;
	}
}

static void resolve_family(void)
{
	unsigned char buf[8192];
	struct nlmsghdr *nlh;
	struct msg m = {};
	struct nla_iter it;
	struct nlattr *nla;
	int fd, len;
	ssize_t n;

	fd = nl_socket();
	msg_init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	msg_put_str(&m, CTRL_ATTR_FAMILY_NAME, DEVLINK_GENL_NAME);
	if (send_msg(fd, &m, 1))
		die("family lookup: %s", strerror(errno));
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		die("family lookup: %s", strerror(errno));
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
	     nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_type == NLMSG_ERROR)
			die("no devlink generic netlink family");
		len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		it = nla_iter_init((char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len);
		while ((nla = nla_iter_next(&it))) {
			if (nla->nla_type == CTRL_ATTR_FAMILY_ID)
				devlink_family = nla_uint(nla);
			if (nla->nla_type == CTRL_ATTR_MCAST_GROUPS)
				parse_mcast_groups(nla);
		}
	}
	close(fd);
	free(m.buf);
	if (!devlink_family)
		die("no devlink generic netlink family");
}

/*
 * Requests of the health commands
 */

enum op {
	OP_GET,
	OP_SET_RECOVER,
	OP_SET_DUMP,
	OP_RECOVER,
	OP_DIAGNOSE,
	OP_DUMP_GET,
	OP_DUMP_CLEAR,
	OP_TEST,
	OP_LIST,
	OP_LIST_DEV,
	OP_COUNT,
};

static const char * const op_names[OP_COUNT] = {
	[OP_GET] = "get",
	[OP_SET_RECOVER] = "setar",
	[OP_SET_DUMP] = "setad",
	[OP_RECOVER] = "recover",
	[OP_DIAGNOSE] = "diagnose",
	[OP_DUMP_GET] = "dumpget",
	[OP_DUMP_CLEAR] = "dumpclear",
	[OP_TEST] = "test",
	[OP_LIST] = "list",
	[OP_LIST_DEV] = "listdev",
};

static const u8 op_cmds[OP_COUNT] = {
	[OP_GET] = DEVLINK_CMD_HEALTH_REPORTER_GET,
	[OP_SET_RECOVER] = DEVLINK_CMD_HEALTH_REPORTER_SET,
	[OP_SET_DUMP] = DEVLINK_CMD_HEALTH_REPORTER_SET,
	[OP_RECOVER] = DEVLINK_CMD_HEALTH_REPORTER_RECOVER,
	[OP_DIAGNOSE] = DEVLINK_CMD_HEALTH_REPORTER_DIAGNOSE,
	[OP_DUMP_GET] = DEVLINK_CMD_HEALTH_REPORTER_DUMP_GET,
	[OP_DUMP_CLEAR] = DEVLINK_CMD_HEALTH_REPORTER_DUMP_CLEAR,
	[OP_TEST] = DEVLINK_CMD_HEALTH_REPORTER_TEST,
	[OP_LIST] = DEVLINK_CMD_HEALTH_REPORTER_GET,
	[OP_LIST_DEV] = DEVLINK_CMD_HEALTH_REPORTER_GET,
};

static int op_parse(const char *name)
{
	int i;

	for (i = 0; i < OP_COUNT; i++)
		if (!strcmp(op_names[i], name))
			return i;
	die("unknown op '%s'", name);
	return -1;
}

/* Build the request of @op on (@dev, @port, @reporter); @iter varies SET. */
static void op_build(struct msg *m, int op, const char *dev, long port,
		     const char *reporter, unsigned long iter)
{
	u16 flags = 0;

	if (op == OP_DUMP_GET || op == OP_LIST || op == OP_LIST_DEV)
		flags = NLM_F_DUMP;
	msg_init(m, devlink_family, op_cmds[op], flags);
	if (op == OP_LIST)
		return;
	if (op == OP_LIST_DEV) {
		msg_put_handle(m, dev, -1, NULL);
		return;
	}
	msg_put_handle(m, dev, port, reporter);
	if (op == OP_SET_RECOVER) {
		msg_put_u64(m, DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD,
			    iter % 3 == 2);
		msg_put_u8(m, DEVLINK_ATTR_HEALTH_REPORTER_AUTO_RECOVER,
			   iter % 4 != 3);
	} else if (op == OP_SET_DUMP) {
		msg_put_u8(m, DEVLINK_ATTR_HEALTH_REPORTER_AUTO_DUMP,
			   iter % 4 != 3);
	}
}

/* One request on a fresh or given socket, answer in @r. */
static int do_op(int fd, int op, const char *dev, long port,
		 const char *reporter, struct reply *r)
{
	static struct msg m;

	op_build(&m, op, dev, port, reporter, 0);
	return transact(fd, &m, r);
}

/*
 * stress: loop over the ops given with -o on one reporter (or on the
 * ports -R FIRST-LAST in turn) for -s seconds and print the load held.
 * Errors named with -a are expected refusals (a reporter that comes and
 * goes, an op it lacks); any other error, a timeout or a malformed fmsg
 * fails the run. EAGAIN on DUMP_GET (the dump changed under the read) is
 * always expected.
 */
struct op_stats {
	unsigned long count;
	unsigned long ok;
	unsigned long refused;
	int errs[MAX_ERRNOS];
	unsigned long err_count[MAX_ERRNOS];
};

static void stats_err(struct op_stats *st, int err)
{
	int i;

	for (i = 0; i < MAX_ERRNOS; i++) {
		if (st->errs[i] == err || !st->errs[i]) {
			st->errs[i] = err;
			st->err_count[i]++;
			return;
		}
	}
}

static int cmd_stress(void)
{
	struct op_stats stats[OP_COUNT] = {};
	int ops[MAX_OPS], nops = 0, bad = 0, notes = 0, i, fd;
	const char *label = o.label ? o.label : o.dev;
	double start, end, secs;
	unsigned long iter = 0;
	char buf[256], *tok, *save;
	struct reply r;
	struct msg m = {};
	long port;

	if (!o.ops || (!o.dev && !strstr(o.ops, "list")))
		die("stress needs -o OPS and -d DEV");
	snprintf(buf, sizeof(buf), "%s", o.ops);
	for (tok = strtok_r(buf, ",", &save); tok && nops < MAX_OPS;
	     tok = strtok_r(NULL, ",", &save))
		ops[nops++] = op_parse(tok);

	fd = nl_socket();
	start = now_s();
	end = start + o.seconds;
	while (now_s() < end) {
		int op = ops[iter % nops];

		port = o.port;
		if (o.port_first >= 0)
			port = o.port_first +
			       (iter / nops) % (o.port_last - o.port_first + 1);
		op_build(&m, op, o.dev, port, o.reporter, iter / nops);
		transact(fd, &m, &r);
		iter++;
		stats[op].count++;
		if (!r.err && !r.malformed && !r.elem_gap) {
			stats[op].ok++;
			continue;
		}
		if (r.err)
			stats_err(&stats[op], r.err);
		if (r.err && r.err != ETIMEDOUT && r.err != ENOBUFS &&
		    (err_in(r.err, o.allow) ||
		     (op == OP_DUMP_GET && r.err == EAGAIN))) {
			stats[op].refused++;
			continue;
		}
		bad++;
		if (notes++ < MAX_NOTES)
			printf("unexpected: %s %s port %ld: %s%s%s%s%s\n",
			       label, op_names[op], port,
			       r.err ? errname(r.err) : "malformed fmsg",
			       r.malformed ? " " : "", r.malformed ? r.why : "",
			       r.ext_msg ? " extack: " : "", r.ext_text);
		if (r.err == ETIMEDOUT || r.err == ENOBUFS) {
			/* stale answers may follow: start over */
			close(fd);
			fd = nl_socket();
		}
	}
	secs = now_s() - start;
	for (i = 0; i < OP_COUNT; i++) {
		struct op_stats *st = &stats[i];
		int j;

		if (!st->count)
			continue;
		printf("load %s %s %lu in %.1f s = %.1f/s ok %lu refused %lu",
		       label, op_names[i], st->count, secs, st->count / secs,
		       st->ok, st->refused);
		for (j = 0; j < MAX_ERRNOS && st->errs[j]; j++)
			printf(" %s:%lu", errname(st->errs[j]),
			       st->err_count[j]);
		printf("\n");
	}
	close(fd);
	free(m.buf);
	return bad ? 1 : 0;
}

/*
 * get: print the reporter's state as "key value" words, for scripts:
 * "ok state 0 error 3 recover 2 grace 0 auto_recover 1 auto_dump 1
 * dump 1", or "err EINVAL extack ...".
 */
static void print_reply_state(const struct reply *r)
{
	if (r->err) {
		printf("err %s extack %s\n", errname(r->err),
		       r->ext_msg ? r->ext_text : "-");
		return;
	}
	printf("ok state %d error %llu recover %llu grace %llu",
	       r->state, (unsigned long long)r->errors,
	       (unsigned long long)r->recovers,
	       (unsigned long long)r->grace);
	printf(" auto_recover %d auto_dump %d dump %d\n", r->auto_recover,
	       r->auto_dump, r->dump_stored);
}

static int cmd_get(void)
{
	struct reply r;
	int fd = nl_socket();

	do_op(fd, OP_GET, o.dev, o.port, o.reporter, &r);
	print_reply_state(&r);
	close(fd);
	return r.err ? 1 : 0;
}

/* op: one request by name (-o), its outcome and fmsg facts on one line. */
static int cmd_op(void)
{
	struct reply r;
	int fd = nl_socket();

	do_op(fd, op_parse(o.ops), o.dev, o.port, o.reporter, &r);
	if (r.err)
		print_reply_state(&r);
	else
		printf("ok msgs %d items %d malformed %d elems %u gap %d break '%s'\n",
		       r.msgs, r.items, r.malformed, r.elems, r.elem_gap,
		       r.have_break ? r.break_msg : "");
	close(fd);
	return r.err || r.malformed ? 1 : 0;
}

/*
 * monitor: listen to the devlink "config" group for -s seconds and count
 * health notifications. An overrun (ENOBUFS) under a notification storm
 * is counted, not an error: multicast is lossy by design.
 */
static int cmd_monitor(void)
{
	unsigned long health = 0, other = 0, overruns = 0;
	unsigned char *buf = malloc(RECV_BUF_SIZE);
	int fd = nl_socket(), size = 4 << 20;
	u32 grp = devlink_mcgrp_config;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	double end = now_s() + o.seconds;
	struct nlmsghdr *nlh;
	ssize_t n;

	if (!buf || !grp)
		die("no memory or no devlink config group");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)))
		die("join devlink config group: %s", strerror(errno));
	while (now_s() < end) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = recv(fd, buf, RECV_BUF_SIZE, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS)
				overruns++;
			continue;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			struct genlmsghdr *g = NLMSG_DATA(nlh);

			if (nlh->nlmsg_type != devlink_family)
				continue;
			if (g->cmd == DEVLINK_CMD_HEALTH_REPORTER_RECOVER)
				health++;
			else
				other++;
		}
	}
	printf("load monitor health-notifications %lu in %.1f s = %.1f/s other %lu overruns %lu\n",
	       health, o.seconds, health / o.seconds, other, overruns);
	close(fd);
	free(buf);
	return 0;
}

/*
 * badinput: requests that must be refused, each with the right errno and
 * an extack, and a few odd ones the 6.12 policies accept. The parsing
 * rules are 6.12's: health commands are validated liberally (unknown
 * attribute types and over-long fixed-size attributes are let through),
 * the bus/device lookup of the devlink core answers without extack, and
 * the permission check of generic netlink too.
 */
enum ext_want {
	EXT_TEXT,	/* a message is required */
	EXT_ANY,	/* a message, an attribute offset or a missing type */
	EXT_NONE_OK,	/* refused before our code runs: errno only */
};

struct bad_case {
	const char *name;
	int op;			/* enum op, or -1 for a raw command */
	u8 raw_cmd;
	u16 raw_flags;
	int err;		/* expected errno, 0 for accepted */
	int err_alt;		/* alternative errno, 0 for none */
	enum ext_want ext;
	const char *ext_re;	/* words, '|' separated, one must match */
	u32 miss_type;	/* 0 or the attribute that must be named */
	void (*build)(struct msg *m, const struct bad_case *c);
	const char *arg;
	long num;
};

static unsigned long inputs_tried;

static void b_none(struct msg *m, const struct bad_case *c)
{
}

static void b_bus(struct msg *m, const struct bad_case *c)
{
	msg_put_str(m, DEVLINK_ATTR_BUS_NAME, o.bus);
}

static void b_dev(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, NULL);
}

/* handle with reporter c->arg, port c->num (-1: none) */
static void b_rep(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, c->num, c->arg);
}

static void b_name_u32(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, NULL);
	msg_put_u32(m, DEVLINK_ATTR_HEALTH_REPORTER_NAME, 0x41414141);
}

static void b_name_empty_payload(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, NULL);
	msg_put(m, DEVLINK_ATTR_HEALTH_REPORTER_NAME, NULL, 0);
}

static void b_bus_no_nul(struct msg *m, const struct bad_case *c)
{
	msg_put(m, DEVLINK_ATTR_BUS_NAME, o.bus, strlen(o.bus));
	msg_put_str(m, DEVLINK_ATTR_DEV_NAME, o.dev);
	msg_put_str(m, DEVLINK_ATTR_HEALTH_REPORTER_NAME, "dummy");
}

static void b_port_short(struct msg *m, const struct bad_case *c)
{
	u16 v = 0;

	msg_put_handle(m, o.dev, -1, "port_dummy");
	msg_put(m, DEVLINK_ATTR_PORT_INDEX, &v, sizeof(v));
}

static void b_port_u64(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, "port_dummy");
	msg_put_u64(m, DEVLINK_ATTR_PORT_INDEX, 0);
}

static void b_grace_u32(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, "dummy");
	msg_put_u32(m, DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD, 5);
}

static void b_grace_val(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, c->num, c->arg);
	msg_put_u64(m, DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD, UINT64_MAX);
}

static void b_recover_empty(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, "dummy");
	msg_put(m, DEVLINK_ATTR_HEALTH_REPORTER_AUTO_RECOVER, NULL, 0);
}

static void b_recover_u32(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, "dummy");
	msg_put_u32(m, DEVLINK_ATTR_HEALTH_REPORTER_AUTO_RECOVER, 1);
}

static void b_recover_val(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, c->arg);
	msg_put_u8(m, DEVLINK_ATTR_HEALTH_REPORTER_AUTO_RECOVER, c->num);
}

static void b_dump_val(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, c->arg);
	msg_put_u8(m, DEVLINK_ATTR_HEALTH_REPORTER_AUTO_DUMP, c->num);
}

static void b_dump_and_grace(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, c->arg);
	msg_put_u8(m, DEVLINK_ATTR_HEALTH_REPORTER_AUTO_DUMP, 0);
	msg_put_u64(m, DEVLINK_ATTR_HEALTH_REPORTER_GRACEFUL_PERIOD, 10);
}

static void b_long_name(struct msg *m, const struct bad_case *c)
{
	size_t len = c->num;
	char *s = malloc(len + 1);

	if (!s)
		die("out of memory");
	memset(s, 'r', len);
	s[len] = '\0';
	msg_put_str(m, DEVLINK_ATTR_BUS_NAME,
		    !strcmp(c->arg, "bus") ? s : o.bus);
	msg_put_str(m, DEVLINK_ATTR_DEV_NAME,
		    !strcmp(c->arg, "dev") ? s : o.dev);
	msg_put_str(m, DEVLINK_ATTR_HEALTH_REPORTER_NAME,
		    !strcmp(c->arg, "reporter") ? s : "dummy");
	free(s);
}

static void b_unknown_bus(struct msg *m, const struct bad_case *c)
{
	msg_put_str(m, DEVLINK_ATTR_BUS_NAME, "nosuchbus");
	msg_put_str(m, DEVLINK_ATTR_DEV_NAME, o.dev);
	msg_put_str(m, DEVLINK_ATTR_HEALTH_REPORTER_NAME, "dummy");
}

static void b_unknown_dev(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, "netdevsim999999", -1, "dummy");
}

static void b_repeated_name(struct msg *m, const struct bad_case *c)
{
	int i;

	msg_put_handle(m, o.dev, -1, NULL);
	for (i = 0; i < 1000; i++)
		msg_put_str(m, DEVLINK_ATTR_HEALTH_REPORTER_NAME, "nosuch");
	msg_put_str(m, DEVLINK_ATTR_HEALTH_REPORTER_NAME, "dummy");
}

static void b_unknown_attr(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, "dummy");
	msg_put_u32(m, 0x3ff0, 7);
}

static void b_nested_flag(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, NULL);
	msg_put_raw(m, NLA_HDRLEN + 6,
		    DEVLINK_ATTR_HEALTH_REPORTER_NAME | NLA_F_NESTED,
		    "dummy", 6);
}

static void b_trailing_garbage(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, "dummy");
	/* a 2-byte attribute header fragment: not even a header */
	memset(m->buf + m->len, 0xff, 4);
	m->buf[m->len] = 2;
	m->buf[m->len + 1] = 0;
	m->len += 4;
}

static void b_overlong_name(struct msg *m, const struct bad_case *c)
{
	msg_put_handle(m, o.dev, -1, NULL);
	/* claims 200 bytes, carries 8: the parser must not read past */
	msg_put_raw(m, 200, DEVLINK_ATTR_HEALTH_REPORTER_NAME, "dummy\0\0", 8);
}

static void b_reserved(struct msg *m, const struct bad_case *c)
{
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

	g->reserved = 0xbeef;
	msg_put_handle(m, o.dev, -1, "dummy");
}

static const struct bad_case bad_cases[] = {
	/* missing attributes */
	{ "get_no_attrs", OP_GET, .err = EINVAL, .ext = EXT_NONE_OK,
	  .build = b_none },
	{ "set_no_attrs", OP_SET_RECOVER, .err = EINVAL, .ext = EXT_NONE_OK,
	  .build = b_none },
	{ "recover_no_attrs", OP_RECOVER, .err = EINVAL, .ext = EXT_NONE_OK,
	  .build = b_none },
	{ "diagnose_no_attrs", OP_DIAGNOSE, .err = EINVAL, .ext = EXT_NONE_OK,
	  .build = b_none },
	{ "dumpget_no_attrs", OP_DUMP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "devlink|instance|not found", .build = b_none },
	{ "dumpclear_no_attrs", OP_DUMP_CLEAR, .err = EINVAL,
	  .ext = EXT_NONE_OK, .build = b_none },
	{ "test_no_attrs", OP_TEST, .err = EINVAL, .ext = EXT_NONE_OK,
	  .build = b_none },
	{ "get_bus_only", OP_GET, .err = EINVAL, .ext = EXT_NONE_OK,
	  .build = b_bus },
	{ "dumpget_bus_only", OP_DUMP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "devlink|instance|not found", .build = b_bus },
	{ "get_no_name", OP_GET, .err = EINVAL, .ext = EXT_ANY,
	  .miss_type = DEVLINK_ATTR_HEALTH_REPORTER_NAME, .build = b_dev },
	{ "set_no_name", OP_SET_RECOVER, .err = EINVAL, .ext = EXT_ANY,
	  .miss_type = DEVLINK_ATTR_HEALTH_REPORTER_NAME, .build = b_dev },
	{ "recover_no_name", OP_RECOVER, .err = EINVAL, .ext = EXT_ANY,
	  .miss_type = DEVLINK_ATTR_HEALTH_REPORTER_NAME, .build = b_dev },
	{ "diagnose_no_name", OP_DIAGNOSE, .err = EINVAL, .ext = EXT_ANY,
	  .miss_type = DEVLINK_ATTR_HEALTH_REPORTER_NAME, .build = b_dev },
	{ "dumpget_no_name", OP_DUMP_GET, .err = EINVAL, .ext = EXT_ANY,
	  .miss_type = DEVLINK_ATTR_HEALTH_REPORTER_NAME, .build = b_dev },
	{ "dumpclear_no_name", OP_DUMP_CLEAR, .err = EINVAL, .ext = EXT_ANY,
	  .miss_type = DEVLINK_ATTR_HEALTH_REPORTER_NAME, .build = b_dev },
	{ "test_no_name", OP_TEST, .err = EINVAL, .ext = EXT_ANY,
	  .miss_type = DEVLINK_ATTR_HEALTH_REPORTER_NAME, .build = b_dev },
	/* wrong types and lengths */
	{ "get_name_u32", OP_GET, .err = EINVAL, .ext = EXT_ANY,
	  .build = b_name_u32 },
	{ "dumpget_name_u32", OP_DUMP_GET, .err = EINVAL, .ext = EXT_ANY,
	  .build = b_name_u32 },
	{ "set_name_u32", OP_SET_RECOVER, .err = EINVAL, .ext = EXT_ANY,
	  .build = b_name_u32 },
	{ "get_name_no_payload", OP_GET, .err = EINVAL, .ext = EXT_ANY,
	  .build = b_name_empty_payload },
	{ "diagnose_bus_no_nul", OP_DIAGNOSE, .err = EINVAL, .ext = EXT_ANY,
	  .build = b_bus_no_nul },
	{ "get_port_2_bytes", OP_GET, .err = ERANGE, .ext = EXT_ANY,
	  .build = b_port_short },
	{ "dumpget_port_2_bytes", OP_DUMP_GET, .err = ERANGE, .ext = EXT_ANY,
	  .build = b_port_short },
	{ "set_grace_u32", OP_SET_RECOVER, .err = ERANGE, .ext = EXT_ANY,
	  .build = b_grace_u32 },
	{ "set_auto_recover_empty", OP_SET_RECOVER, .err = ERANGE,
	  .ext = EXT_ANY, .build = b_recover_empty },
	/* accepted by 6.12's liberal validation: must be harmless */
	{ "get_port_u64_accepted", OP_GET, .err = 0, .build = b_port_u64 },
	{ "set_auto_recover_u32_accepted", OP_SET_RECOVER, .err = 0,
	  .build = b_recover_u32 },
	{ "get_unknown_attr_accepted", OP_GET, .err = 0,
	  .build = b_unknown_attr },
	{ "get_nested_flag_accepted", OP_GET, .err = 0, .build = b_nested_flag },
	{ "get_trailing_garbage_accepted", OP_GET, .err = 0,
	  .build = b_trailing_garbage },
	{ "get_reserved_accepted", OP_GET, .err = 0, .build = b_reserved },
	{ "get_repeated_name_last_wins", OP_GET, .err = 0,
	  .build = b_repeated_name },
	{ "get_overlong_name_header", OP_GET, .err = EINVAL, .ext = EXT_ANY,
	  .miss_type = DEVLINK_ATTR_HEALTH_REPORTER_NAME,
	  .build = b_overlong_name },
	/* oversized */
	{ "get_reporter_name_65000", OP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "reporter", .build = b_long_name, .arg = "reporter",
	  .num = 65000 },
	{ "dumpget_reporter_name_65000", OP_DUMP_GET, .err = EINVAL,
	  .ext = EXT_TEXT, .ext_re = "reporter", .build = b_long_name,
	  .arg = "reporter", .num = 65000 },
	{ "diagnose_dev_name_65000", OP_DIAGNOSE, .err = ENODEV,
	  .ext = EXT_NONE_OK, .build = b_long_name, .arg = "dev", .num = 65000 },
	{ "dumpget_dev_name_65000", OP_DUMP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "devlink|instance", .build = b_long_name, .arg = "dev",
	  .num = 65000 },
	{ "set_bus_name_4000", OP_SET_RECOVER, .err = ENODEV,
	  .ext = EXT_NONE_OK, .build = b_long_name, .arg = "bus", .num = 4000 },
	/* out of range */
	{ "get_port_max_port_reporter", OP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "reporter", .build = b_rep, .arg = "port_dummy",
	  .num = 0xffffffffL },
	{ "dumpget_port_max_port_reporter", OP_DUMP_GET, .err = EINVAL,
	  .ext = EXT_TEXT, .ext_re = "reporter", .build = b_rep,
	  .arg = "port_dummy", .num = 0xffffffffL },
	{ "get_port_max_falls_back_to_device", OP_GET, .err = 0, .build = b_rep,
	  .arg = "dummy", .num = 0xffffffffL },
	{ "set_grace_u64_max_accepted", OP_SET_RECOVER, .err = 0,
	  .build = b_grace_val, .arg = "port_dummy", .num = 1 },
	{ "set_auto_recover_255_accepted", OP_SET_RECOVER, .err = 0,
	  .build = b_recover_val, .arg = "dummy", .num = 255 },
	{ "set_auto_dump_2_accepted", OP_SET_DUMP, .err = 0,
	  .build = b_dump_val, .arg = "dummy", .num = 2 },
	/* unknown names */
	{ "get_unknown_bus", OP_GET, .err = ENODEV, .ext = EXT_NONE_OK,
	  .build = b_unknown_bus },
	{ "dumpget_unknown_bus", OP_DUMP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "devlink|instance", .build = b_unknown_bus },
	{ "recover_unknown_dev", OP_RECOVER, .err = ENODEV, .ext = EXT_NONE_OK,
	  .build = b_unknown_dev },
	{ "dumpget_unknown_dev", OP_DUMP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "devlink|instance", .build = b_unknown_dev },
	{ "get_unknown_port", OP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "reporter", .build = b_rep, .arg = "port_dummy", .num = 77 },
	{ "get_unknown_reporter", OP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "reporter", .build = b_rep, .arg = "nosuch", .num = -1 },
	{ "set_unknown_reporter", OP_SET_RECOVER, .err = EINVAL,
	  .ext = EXT_TEXT, .ext_re = "reporter", .build = b_rep,
	  .arg = "nosuch", .num = -1 },
	{ "recover_unknown_reporter", OP_RECOVER, .err = EINVAL,
	  .ext = EXT_TEXT, .ext_re = "reporter", .build = b_rep,
	  .arg = "nosuch", .num = -1 },
	{ "diagnose_unknown_reporter", OP_DIAGNOSE, .err = EINVAL,
	  .ext = EXT_TEXT, .ext_re = "reporter", .build = b_rep,
	  .arg = "nosuch", .num = -1 },
	{ "dumpget_unknown_reporter", OP_DUMP_GET, .err = EINVAL,
	  .ext = EXT_TEXT, .ext_re = "reporter", .build = b_rep,
	  .arg = "nosuch", .num = -1 },
	{ "dumpclear_unknown_reporter", OP_DUMP_CLEAR, .err = EINVAL,
	  .ext = EXT_TEXT, .ext_re = "reporter", .build = b_rep,
	  .arg = "nosuch", .num = -1 },
	{ "test_unknown_reporter", OP_TEST, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "reporter", .build = b_rep, .arg = "nosuch", .num = -1 },
	{ "get_port_reporter_on_device", OP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "reporter", .build = b_rep, .arg = "port_dummy", .num = -1 },
	{ "get_device_reporter_on_port", OP_GET, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "reporter", .build = b_rep, .arg = "dummy", .num = 0 },
	{ "test_empty_name", OP_TEST, .err = EINVAL, .ext = EXT_TEXT,
	  .ext_re = "reporter", .build = b_rep, .arg = "", .num = -1 },
	/* the op a request needs is missing */
	{ "set_noop_grace", OP_SET_RECOVER, .err = EOPNOTSUPP, .ext = EXT_TEXT,
	  .ext_re = "recover", .build = b_grace_val, .arg = "noop", .num = -1 },
	{ "set_noop_auto_recover", OP_SET_RECOVER, .err = EOPNOTSUPP,
	  .ext = EXT_TEXT, .ext_re = "recover", .build = b_recover_val,
	  .arg = "noop", .num = 1 },
	{ "set_noop_auto_dump", OP_SET_DUMP, .err = EOPNOTSUPP, .ext = EXT_TEXT,
	  .ext_re = "dump", .build = b_dump_val, .arg = "noop", .num = 1 },
	{ "set_empty_grace", OP_SET_RECOVER, .err = EOPNOTSUPP, .ext = EXT_TEXT,
	  .ext_re = "recover", .build = b_grace_val, .arg = "empty", .num = -1 },
	{ "set_empty_auto_recover", OP_SET_RECOVER, .err = EOPNOTSUPP,
	  .ext = EXT_TEXT, .ext_re = "recover", .build = b_recover_val,
	  .arg = "empty", .num = 0 },
	{ "set_empty_dump_and_grace", OP_SET_RECOVER, .err = EOPNOTSUPP,
	  .ext = EXT_TEXT, .ext_re = "recover", .build = b_dump_and_grace,
	  .arg = "empty" },
	{ "set_noop_nothing_accepted", OP_SET_RECOVER, .err = 0, .build = b_rep,
	  .arg = "noop", .num = -1 },
	{ "diagnose_noop", OP_DIAGNOSE, .err = EOPNOTSUPP, .ext = EXT_TEXT,
	  .ext_re = "diagnose", .build = b_rep, .arg = "noop", .num = -1 },
	{ "dumpget_noop", OP_DUMP_GET, .err = EOPNOTSUPP, .ext = EXT_TEXT,
	  .ext_re = "dump", .build = b_rep, .arg = "noop", .num = -1 },
	{ "dumpclear_noop", OP_DUMP_CLEAR, .err = EOPNOTSUPP, .ext = EXT_TEXT,
	  .ext_re = "dump", .build = b_rep, .arg = "noop", .num = -1 },
	{ "test_noop", OP_TEST, .err = EOPNOTSUPP, .ext = EXT_TEXT,
	  .ext_re = "test", .build = b_rep, .arg = "noop", .num = -1 },
	{ "test_empty", OP_TEST, .err = EOPNOTSUPP, .ext = EXT_TEXT,
	  .ext_re = "test", .build = b_rep, .arg = "empty", .num = -1 },
	/* a command the family lacks, a dump of a do-only command */
	{ "unknown_command", -1, .raw_cmd = 250, .err = EOPNOTSUPP,
	  .ext = EXT_NONE_OK, .build = b_rep, .arg = "dummy", .num = -1 },
	{ "diagnose_as_dump", -1,
	  .raw_cmd = DEVLINK_CMD_HEALTH_REPORTER_DIAGNOSE,
	  .raw_flags = NLM_F_DUMP, .err = EOPNOTSUPP, .ext = EXT_NONE_OK,
	  .build = b_rep, .arg = "dummy", .num = -1 },
	{ "dumpget_as_do", -1, .raw_cmd = DEVLINK_CMD_HEALTH_REPORTER_DUMP_GET,
	  .err = EOPNOTSUPP, .ext = EXT_NONE_OK, .build = b_rep, .arg = "dummy",
	  .num = -1 },
};

/* "a|b|c": does one of the words occur in @text, case-insensitively? */
static bool words_match(const char *words, const char *text)
{
	char buf[128], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", words);
	for (tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save))
		if (strcasestr(text, tok))
			return true;
	return false;
}

/* Judge @r against case @c; print a FAIL line and return false if off. */
static bool judge(const char *name, const struct reply *r, int err,
		  int err_alt, enum ext_want ext, const char *ext_re,
		  u32 miss_type)
{
	bool ok = true;

	if (r->err != err && (!err_alt || r->err != err_alt)) {
		printf("    %s: errno %s, expected %s%s%s\n", name,
		       errname(r->err), errname(err), err_alt ? " or " : "",
		       err_alt ? errname(err_alt) : "");
		return false;
	}
	if (!err)
		return true;
	switch (ext) {
	case EXT_TEXT:
		if (!r->ext_msg) {
			printf("    %s: %s without an extack message\n", name,
			       errname(r->err));
			ok = false;
		} else if (ext_re && !words_match(ext_re, r->ext_text)) {
			printf("    %s: extack '%s' does not match /%s/\n", name,
			       r->ext_text, ext_re);
			ok = false;
		}
		break;
	case EXT_ANY:
		if (!r->ext_msg && !r->ext_offs && !r->ext_miss) {
			printf("    %s: %s without extack\n", name,
			       errname(r->err));
			ok = false;
		}
		if (miss_type && (!r->ext_miss || r->miss_type != miss_type) &&
		    !r->ext_msg) {
			printf("    %s: extack names missing attribute %u, expected %u\n",
			       name, r->ext_miss ? r->miss_type : 0, miss_type);
			ok = false;
		}
		break;
	case EXT_NONE_OK:
		break;
	}
	return ok;
}

static bool run_bad_case(int fd, const struct bad_case *c, bool verbose)
{
	static struct msg m;
	struct reply r;
	bool ok;

	if (c->op >= 0) {
		u16 flags = c->op == OP_DUMP_GET ? NLM_F_DUMP : 0;

		msg_init(&m, devlink_family, op_cmds[c->op], flags);
	} else {
		msg_init(&m, devlink_family, c->raw_cmd, c->raw_flags);
	}
	c->build(&m, c);
	transact(fd, &m, &r);
	inputs_tried++;
	ok = judge(c->name, &r, c->err, c->err_alt, c->ext, c->ext_re,
		   c->miss_type);
	if (verbose || !ok)
		printf("    %s: %s%s%s%s\n", c->name, errname(r.err),
		       r.ext_msg ? " extack '" : "", r.ext_msg ? r.ext_text : "",
		       r.ext_msg ? "'" : (r.ext_miss || r.ext_offs ?
					  " extack (attribute)" : ""));
	return ok;
}

/* Raw malformed netlink headers: nothing may come back but an error. */
static int bad_headers(int fd)
{
	static struct msg m;
	struct nlmsghdr *nlh;
	struct reply r;
	int bad = 0;
	u32 seq;

	/* genl header cut short */
	msg_init(&m, devlink_family, DEVLINK_CMD_HEALTH_REPORTER_GET, NLM_F_ACK);
	nlh = (struct nlmsghdr *)m.buf;
	seq = seq_next();
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	nlh->nlmsg_seq = seq;
	reply_init(&r);
	if (!send_raw(fd, &m, NLMSG_HDRLEN + 4))
		recv_reply(fd, seq, false, &r, 0);
	inputs_tried++;
	if (r.err != EINVAL) {
		printf("    short_genl_header: %s, expected EINVAL\n",
		       errname(r.err));
		bad++;
	}

	/* nlmsg_len larger than what was sent: dropped by netlink */
	msg_init(&m, devlink_family, DEVLINK_CMD_HEALTH_REPORTER_GET, NLM_F_ACK);
	msg_put_handle(&m, o.dev, -1, "dummy");
	nlh = (struct nlmsghdr *)m.buf;
	seq = seq_next();
	nlh->nlmsg_len = m.len + 4096;
	nlh->nlmsg_seq = seq;
	send_raw(fd, &m, m.len);
	inputs_tried++;
	/* then a good request on the same socket must still be answered */
	do_op(fd, OP_GET, o.dev, -1, "dummy", &r);
	inputs_tried++;
	if (r.err) {
		printf("    get_after_overlong_nlmsg_len: %s\n", errname(r.err));
		bad++;
	}
	return bad;
}

static int cmd_badinput(void)
{
	int fd = nl_socket(), bad = 0;
	bool verbose = getenv("VERBOSE") && !strcmp(getenv("VERBOSE"), "1");
	size_t i;

	if (!o.dev)
		die("badinput needs -d DEV");
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++)
		if (!run_bad_case(fd, &bad_cases[i], verbose))
			bad++;
	bad += bad_headers(fd);
	printf("inputs tried %lu, off-contract answers %d\n", inputs_tried, bad);
	close(fd);
	return bad ? 1 : 0;
}

/*
 * unpriv: run without CAP_NET_ADMIN. Every health command that changes or
 * reveals device internals needs it (EPERM from generic netlink, which
 * answers before devlink sees the request, so without extack); GET, do
 * and dump, does not.
 */
static int cmd_unpriv(void)
{
	static const int admin_ops[] = {
		OP_SET_RECOVER, OP_SET_DUMP, OP_RECOVER, OP_DIAGNOSE,
		OP_DUMP_GET, OP_DUMP_CLEAR, OP_TEST,
	};
	static const char * const reps[] = { "dummy", "noop", "nosuch" };
	int fd = nl_socket(), bad = 0;
	struct reply r;
	size_t i, j;

	if (!o.dev)
		die("unpriv needs -d DEV");
	for (j = 0; j < ARRAY_SIZE(reps); j++) {
		for (i = 0; i < ARRAY_SIZE(admin_ops); i++) {
			static struct msg m;

			op_build(&m, admin_ops[i], o.dev, -1, reps[j], 1);
			transact(fd, &m, &r);
			inputs_tried++;
			if (r.err != EPERM) {
				printf("    unpriv %s %s: %s, expected EPERM\n",
				       op_names[admin_ops[i]], reps[j],
				       errname(r.err));
				bad++;
			}
		}
	}
	do_op(fd, OP_GET, o.dev, -1, "dummy", &r);
	inputs_tried++;
	if (r.err || r.reporters != 1) {
		printf("    unpriv get: %s, expected the reporter\n",
		       errname(r.err));
		bad++;
	}
	do_op(fd, OP_LIST_DEV, o.dev, -1, NULL, &r);
	inputs_tried++;
	if (r.err || r.reporters < 3) {
		printf("    unpriv list: %s with %d reporters\n",
		       errname(r.err), r.reporters);
		bad++;
	}
	printf("inputs tried %lu, off-contract answers %d\n", inputs_tried, bad);
	close(fd);
	return bad ? 1 : 0;
}

/*
 * abandon: start -n DUMP_GET reads (and DIAGNOSE replies) of a large
 * dump and close the socket after 0, 1, 2 or 3 messages. The kernel must
 * free what the read held; kmemleak, run by the harness, tells.
 */
static int cmd_abandon(void)
{
	static struct msg m;
	struct reply r;
	long i;

	if (!o.dev || !o.reporter)
		die("abandon needs -d DEV -r REPORTER");
	for (i = 0; i < o.count; i++) {
		int fd = nl_socket();
		int op = i % 4 == 3 ? OP_DIAGNOSE : OP_DUMP_GET;
		u32 seq = seq_next();

		op_build(&m, op, o.dev, o.port, o.reporter, 0);
		if (op == OP_DIAGNOSE)
			((struct nlmsghdr *)m.buf)->nlmsg_flags |= NLM_F_ACK;
		send_msg(fd, &m, seq);
		inputs_tried++;
		reply_init(&r);
		if (i % 4)
			recv_reply(fd, seq, true, &r, i % 4);
		close(fd);
		if (r.err && r.err != EAGAIN) {
			printf("    abandoned read %ld: %s\n", i, errname(r.err));
			return 1;
		}
	}
	printf("abandoned reads %ld\n", o.count);
	return 0;
}

/* Write @val to the file @path; 0 or the errno of the write. */
static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) < 0)
		err = errno;
	close(fd);
	return err;
}

static bool full_dump_ok(int fd, const char *dev, long port,
			 const char *reporter, struct reply *r)
{
	do_op(fd, OP_DUMP_GET, dev, port, reporter, r);
	return !r->err && !r->malformed && !r->elem_gap &&
	       r->elems == (u32)o.elems;
}

/*
 * interleave: -n reads of a large stored dump, each interrupted after a
 * few messages by a DUMP_CLEAR on another socket, every other one also by
 * a new report (-k: the reporter's break_health knob) that stores a new
 * dump. The read must then fail with EAGAIN and an extack, or complete
 * with one whole dump (-e elements in sequence); never a mix of two.
 */
static int cmd_interleave(void)
{
	unsigned long eagain = 0, whole = 0, bad = 0;
	int fd1, fd2 = nl_socket();
	static struct msg m;
	struct reply r, r2;
	char msg[64];
	long i;
	int err;

	if (!o.dev || !o.reporter || !o.knob)
		die("interleave needs -d DEV -r REPORTER -k BREAK_KNOB -e ELEMS");
	for (i = 0; i < o.count; i++) {
		u32 seq = seq_next();

		if (!full_dump_ok(fd2, o.dev, o.port, o.reporter, &r2)) {
			printf("    read %ld: clean read failed: %s %s elems %u\n",
			       i, errname(r2.err), r2.why, r2.elems);
			bad++;
			break;
		}
		fd1 = nl_socket();
		op_build(&m, OP_DUMP_GET, o.dev, o.port, o.reporter, 0);
		send_msg(fd1, &m, seq);
		reply_init(&r);
		recv_reply(fd1, seq, true, &r, 1 + i % 3);
		do_op(fd2, OP_DUMP_CLEAR, o.dev, o.port, o.reporter, &r2);
		inputs_tried += 2;
		if (r2.err) {
			printf("    read %ld: clear failed: %s\n", i,
			       errname(r2.err));
			bad++;
		}
		if (i % 2) {
			snprintf(msg, sizeof(msg), "interleave %ld", i);
			err = write_file(o.knob, msg);
			if (err && err != ECANCELED) {
				printf("    read %ld: report failed: %s\n", i,
				       errname(err));
				bad++;
			}
		}
		if (!r.err && r.msgs)
			recv_reply(fd1, seq, true, &r, 0);
		close(fd1);
		if (r.err == EAGAIN && r.ext_msg) {
			eagain++;
		} else if (!r.err && !r.malformed && !r.elem_gap &&
			   r.elems == (u32)o.elems) {
			whole++;
		} else {
			printf("    read %ld: %s%s%s malformed %d gap %d elems %u\n",
			       i, errname(r.err), r.ext_msg ? " extack " : "",
			       r.ext_text, r.malformed, r.elem_gap, r.elems);
			bad++;
		}
	}
	printf("interleaved reads %ld: EAGAIN with extack %lu, whole dump %lu, bad %lu\n",
	       o.count, eagain, whole, bad);
	close(fd2);
	return bad ? 1 : 0;
}

/*
 * midread: read the first messages of a large stored dump of the reporter
 * of port -p, then delete the port (-k: the device's sysfs directory) and,
 * with -x recreate, add it back and store a small dump on the new reporter
 * (-v: its break_health knob path) before reading on. The read must end
 * with an error and an extack: the cursor belongs to a dump that is gone.
 */
static int cmd_midread(void)
{
	bool recreate = o.scenario && !strcmp(o.scenario, "recreate");
	char path[512], val[32];
	int fd = nl_socket();
	static struct msg m;
	u32 seq = seq_next();
	struct reply r;
	int err;

	if (!o.dev || o.port < 0 || !o.sysdev)
		die("midread needs -d DEV -p PORT -k SYSFS_DEV");
	op_build(&m, OP_DUMP_GET, o.dev, o.port, "port_dummy", 0);
	send_msg(fd, &m, seq);
	reply_init(&r);
	recv_reply(fd, seq, true, &r, 1);
	inputs_tried++;
	if (r.err || r.msgs != 1) {
		printf("    first message: %s\n", errname(r.err));
		return 1;
	}
	snprintf(val, sizeof(val), "%ld", o.port);
	snprintf(path, sizeof(path), "%s/del_port", o.sysdev);
	err = write_file(path, val);
	if (!err && recreate) {
		snprintf(path, sizeof(path), "%s/new_port", o.sysdev);
		err = write_file(path, val);
		if (!err && o.value)
			err = write_file(o.value, "new reporter, new dump");
	}
	if (err) {
		printf("    port churn between messages: %s\n", strerror(err));
		return 1;
	}
	recv_reply(fd, seq, true, &r, 0);
	close(fd);
	printf("    read on: %s%s%s after %d messages, %u elements%s\n",
	       errname(r.err), r.ext_msg ? ", extack " : ", no extack",
	       r.ext_msg ? r.ext_text : "", r.msgs, r.elems,
	       r.elem_gap ? ", elements out of sequence" : "");
	if (!r.err) {
		printf("    the read completed across a destroyed reporter\n");
		return 1;
	}
	if (!r.ext_msg) {
		printf("    %s without extack\n", errname(r.err));
		return 1;
	}
	return 0;
}

/*
 * Fault injection. Two modes:
 *   nth   /proc/thread-self/fail-nth: the Nth fault-injectable call of
 *         this task fails; N is swept from 1 until the operation no
 *         longer reaches the Nth call, so every allocation site of it
 *         fails once (with -S/-T the sweep thins out after N = -S);
 *   prob  /proc/self/make-it-fail: with failslab/fail_page_alloc set up
 *         by the script (task-filter, probability), faults hit this task
 *         only, and only while the operation is in flight.
 * The script counts injected faults from the "times" budget of both
 * fault attributes; nth also counts them here (fail-nth read back 0).
 *
 * Faults must hit the operation only, not a page fault of this process:
 * a page of this binary or of libc read in while armed goes through the
 * filesystem, and a network filesystem does not always survive a failed
 * allocation (9p marks its whole mount disconnected when a request cannot
 * be queued; virtme-ng's guests run from a 9p root). So every page is
 * made resident and locked before the first fault is armed.
 */
static int fail_nth_fd = -1;
static int make_it_fail_fd = -1;

static void fault_open(void)
{
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	make_it_fail_fd = open("/proc/self/make-it-fail", O_RDWR | O_CLOEXEC);
	if (fail_nth_fd < 0 || make_it_fail_fd < 0)
		die("no fail-nth or make-it-fail: %s", strerror(errno));
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		die("mlockall: %s", strerror(errno));
}

static void fault_arm(long nth)
{
	char buf[24];
	int len;

	if (!strcmp(o.mode, "prob")) {
		if (pwrite(make_it_fail_fd, "1", 1, 0) != 1)
			die("make-it-fail: %s", strerror(errno));
		return;
	}
	len = snprintf(buf, sizeof(buf), "%ld", nth);
	if (pwrite(fail_nth_fd, buf, len, 0) != len)
		die("fail-nth: %s", strerror(errno));
}

/* Disarm; true if the fault armed by fault_arm() was injected (nth). */
static bool fault_disarm(void)
{
	char buf[24] = "";
	bool injected = false;

	if (!strcmp(o.mode, "prob")) {
		if (pwrite(make_it_fail_fd, "0", 1, 0) != 1)
			die("make-it-fail: %s", strerror(errno));
		return false;
	}
	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) > 0)
		injected = atol(buf) == 0;
	if (pwrite(fail_nth_fd, "0", 1, 0) != 1)
		die("fail-nth: %s", strerror(errno));
	return injected;
}

struct fault_run {
	unsigned long iters;
	unsigned long injected;
	unsigned long outcomes[4];	/* ok, ENOMEM, ENOBUFS, other */
	unsigned long notifications;
	unsigned long knobs_missing;
	unsigned long problems;
};

static void outcome(struct fault_run *fr, int err)
{
	if (!err)
		fr->outcomes[0]++;
	else if (err == ENOMEM)
		fr->outcomes[1]++;
	else if (err == ENOBUFS)
		fr->outcomes[2]++;
	else
		fr->outcomes[3]++;
}

static void problem(struct fault_run *fr, long n, const char *fmt, ...)
{
	va_list ap;

	if (fr->problems++ >= 10)
		return;
	printf("    N=%ld: ", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Errors a faulted operation may end with: its own, or lack of memory. */
static bool clean_error(int err)
{
	return !err || err == ENOMEM || err == ENOBUFS || err_in(err, o.allow);
}

static bool get_state(int fd, long port, const char *rep, struct reply *r)
{
	do_op(fd, OP_GET, o.dev, port, rep, r);
	return !r->err;
}

/* The reporter works after a fault: a clean op of each read kind. */
static void check_usable(struct fault_run *fr, int fd, long n)
{
	struct reply r;

	if (!get_state(fd, o.port, o.reporter, &r))
		problem(fr, n, "GET after the fault: %s", errname(r.err));
	do_op(fd, OP_DIAGNOSE, o.dev, o.port, o.reporter, &r);
	if (r.err || r.malformed)
		problem(fr, n, "DIAGNOSE after the fault: %s %s",
			errname(r.err), r.why);
}

/* DUMP_GET with no stored dump: the dump is captured under the fault. */
static bool fault_dumpget(struct fault_run *fr, int fd, long n)
{
	struct reply before, r, after;
	static struct msg m;
	bool injected;
	int fdf;

	do_op(fd, OP_DUMP_CLEAR, o.dev, o.port, o.reporter, &r);
	get_state(fd, o.port, o.reporter, &before);
	fdf = nl_socket();
	op_build(&m, OP_DUMP_GET, o.dev, o.port, o.reporter, 0);
	reply_init(&r);
	fault_arm(n);
	transact(fdf, &m, &r);
	injected = fault_disarm();
	close(fdf);
	outcome(fr, r.err);
	if (!clean_error(r.err) || r.err == ETIMEDOUT)
		problem(fr, n, "faulted DUMP_GET: %s", errname(r.err));
	if (!r.err && (r.malformed || r.elem_gap ||
		       r.elems != (u32)o.elems))
		problem(fr, n, "faulted DUMP_GET succeeded with a bad dump: %s elems %u",
			r.why, r.elems);
	get_state(fd, o.port, o.reporter, &after);
	if (!r.err && !after.dump_stored)
		problem(fr, n, "DUMP_GET succeeded but no dump is stored");
	if (after.errors != before.errors || after.recovers != before.recovers)
		problem(fr, n, "counters moved: error %llu->%llu",
			(unsigned long long)before.errors,
			(unsigned long long)after.errors);
	if (!full_dump_ok(fd, o.dev, o.port, o.reporter, &r))
		problem(fr, n, "clean DUMP_GET after the fault: %s %s elems %u",
			errname(r.err), r.why, r.elems);
	get_state(fd, o.port, o.reporter, &after);
	if (!after.dump_stored)
		problem(fr, n, "no dump stored after a clean DUMP_GET");
	return injected;
}

static bool fault_diagnose(struct fault_run *fr, int fd, long n)
{
	struct reply before, r, after;
	static struct msg m;
	bool injected;
	int fdf;

	get_state(fd, o.port, o.reporter, &before);
	fdf = nl_socket();
	op_build(&m, OP_DIAGNOSE, o.dev, o.port, o.reporter, 0);
	fault_arm(n);
	transact(fdf, &m, &r);
	injected = fault_disarm();
	close(fdf);
	outcome(fr, r.err);
	if (!clean_error(r.err) || r.err == ETIMEDOUT)
		problem(fr, n, "faulted DIAGNOSE: %s", errname(r.err));
	if (!r.err && r.malformed)
		problem(fr, n, "faulted DIAGNOSE succeeded, malformed: %s",
			r.why);
	get_state(fd, o.port, o.reporter, &after);
	if (after.errors != before.errors ||
	    after.dump_stored != before.dump_stored)
		problem(fr, n, "state moved under DIAGNOSE");
	check_usable(fr, fd, n);
	return injected;
}

/* Drain the listener socket, counting health notifications. */
static unsigned long drain_listener(int lfd)
{
	unsigned char *buf = malloc(RECV_BUF_SIZE);
	unsigned long count = 0;
	struct nlmsghdr *nlh;
	ssize_t n;

	if (!buf)
		die("out of memory");
	for (;;) {
		n = recv(lfd, buf, RECV_BUF_SIZE, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS)
				continue;
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n))
			if (nlh->nlmsg_type == devlink_family)
				count++;
	}
	free(buf);
	return count;
}

/*
 * A report (write to the break_health knob -k) with a listener joined to
 * the notification group and no stored dump: the notification, the
 * automatic dump and the recovery all allocate under the fault.
 */
static bool fault_report(struct fault_run *fr, int fd, int lfd, long n)
{
	struct reply before, after, r;
	char msg[64];
	bool injected;
	int kfd, err = 0;

	do_op(fd, OP_DUMP_CLEAR, o.dev, o.port, o.reporter, &r);
	get_state(fd, o.port, o.reporter, &before);
	snprintf(msg, sizeof(msg), "fault %ld", n);
	kfd = open(o.knob, O_WRONLY | O_CLOEXEC);
	if (kfd < 0)
		die("%s: %s", o.knob, strerror(errno));
	fault_arm(n);
	if (write(kfd, msg, strlen(msg)) < 0)
		err = errno;
	injected = fault_disarm();
	close(kfd);
	outcome(fr, err);
	fr->notifications += drain_listener(lfd);
	if (!clean_error(err))
		problem(fr, n, "faulted report: %s", errname(err));
	get_state(fd, o.port, o.reporter, &after);
	if (after.errors != before.errors + 1 &&
	    !(err && after.errors == before.errors))
		problem(fr, n, "report %s, error count %llu -> %llu",
			errname(err), (unsigned long long)before.errors,
			(unsigned long long)after.errors);
	if (!err && (after.state != STATE_HEALTHY ||
		     after.recovers != before.recovers + 1))
		problem(fr, n, "report succeeded: state %d recover %llu -> %llu",
			after.state, (unsigned long long)before.recovers,
			(unsigned long long)after.recovers);
	if (err && after.errors == before.errors + 1 &&
	    after.state == STATE_HEALTHY &&
	    after.recovers != before.recovers + 1)
		problem(fr, n, "failed report left it healthy without recovery");
	if (after.dump_stored) {
		do_op(fd, OP_DUMP_GET, o.dev, o.port, o.reporter, &r);
		if (r.err || r.malformed || !r.have_break ||
		    strcmp(r.break_msg, msg))
			problem(fr, n, "stored dump is not this report's: %s '%s'",
				errname(r.err), r.have_break ? r.break_msg : "");
	}
	if (after.state != STATE_HEALTHY) {
		do_op(fd, OP_RECOVER, o.dev, o.port, o.reporter, &r);
		if (r.err)
			problem(fr, n, "RECOVER after the fault: %s",
				errname(r.err));
	}
	check_usable(fr, fd, n);
	return injected;
}

/*
 * new_port: create port -p through netdevsim's new_port (-k: the device's
 * sysfs directory), which creates the port reporter. Whether it succeeds
 * or fails, no trace of a half-made port may be left: a clean retry must
 * succeed and give a working reporter.
 */
static bool fault_new_port(struct fault_run *fr, int fd, long n)
{
	char path[512], val[32], knob[512];
	struct reply r;
	bool injected;
	int kfd, err = 0;

	snprintf(val, sizeof(val), "%ld", o.port);
	snprintf(path, sizeof(path), "%s/new_port", o.sysdev);
	kfd = open(path, O_WRONLY | O_CLOEXEC);
	if (kfd < 0)
		die("%s: %s", path, strerror(errno));
	fault_arm(n);
	if (write(kfd, val, strlen(val)) < 0)
		err = errno;
	injected = fault_disarm();
	close(kfd);
	outcome(fr, err);
	if (!clean_error(err))
		problem(fr, n, "faulted new_port: %s", errname(err));
	get_state(fd, o.port, "port_dummy", &r);
	if (!err && r.err)
		problem(fr, n, "new_port succeeded, reporter missing: %s",
			errname(r.err));
	if (err && !r.err)
		problem(fr, n, "new_port failed (%s) but its reporter exists",
			errname(err));
	if (err) {
		err = write_file(path, val);
		if (err) {
			problem(fr, n, "clean new_port after the fault: %s",
				errname(err));
			return injected;
		}
	}
	/* the reporter of the port works, knobs and all */
	snprintf(knob, sizeof(knob), "%s/ports/%ld/report_count", o.knob,
		 o.port);
	err = write_file(knob, "1");
	get_state(fd, o.port, "port_dummy", &r);
	if (r.err || (!err && r.errors != 1))
		problem(fr, n, "new port reporter: %s, error count %llu, knob %s",
			errname(r.err), (unsigned long long)r.errors,
			errname(err));
	/* debugfs errors are ignored by design: a knob may be missing */
	if (err == ENOENT)
		fr->knobs_missing++;
	snprintf(path, sizeof(path), "%s/del_port", o.sysdev);
	err = write_file(path, val);
	if (err)
		problem(fr, n, "del_port: %s", errname(err));
	return injected;
}

static int cmd_fault(void)
{
	struct fault_run fr = {};
	int fd, lfd = -1;
	u32 grp;
	long n, step;
	bool injected;

	if (!o.mode || !o.scenario || !o.dev)
		die("fault needs -m MODE -x SCENARIO -d DEV");
	fault_open();
	fd = nl_socket();
	if (!strcmp(o.scenario, "report")) {
		int size = 4 << 20;

		lfd = nl_socket();
		grp = devlink_mcgrp_config;
		setsockopt(lfd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
		if (setsockopt(lfd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			       sizeof(grp)))
			die("join devlink config group: %s", strerror(errno));
	}
	for (n = 1; n <= o.nth_max; n += step) {
		step = n >= o.nth_step_after ? o.nth_step : 1;
		if (!strcmp(o.scenario, "dumpget"))
			injected = fault_dumpget(&fr, fd, n);
		else if (!strcmp(o.scenario, "diagnose"))
			injected = fault_diagnose(&fr, fd, n);
		else if (!strcmp(o.scenario, "report"))
			injected = fault_report(&fr, fd, lfd, n);
		else if (!strcmp(o.scenario, "newport"))
			injected = fault_new_port(&fr, fd, n);
		else
			die("unknown scenario '%s'", o.scenario);
		fr.iters++;
		fr.injected += injected;
		/* nth: past the last call the operation makes, stop */
		if (!strcmp(o.mode, "nth") && !injected)
			break;
		if (!strcmp(o.mode, "prob") && (long)fr.iters >= o.count)
			break;
	}
	printf("fault %s %s: %lu operations, %s%lu,", o.mode, o.scenario,
	       fr.iters, !strcmp(o.mode, "nth") ?
	       "faults injected (fail-nth) " : "operations under make-it-fail ",
	       !strcmp(o.mode, "nth") ? fr.injected : fr.iters);
	printf(" outcomes ok %lu ENOMEM %lu ENOBUFS %lu other %lu,",
	       fr.outcomes[0], fr.outcomes[1], fr.outcomes[2], fr.outcomes[3]);
	printf(" notifications %lu,", fr.notifications);
	if (fr.knobs_missing)
		printf(" new ports without knobs %lu,", fr.knobs_missing);
	printf(" problems %lu\n", fr.problems);
	if (!strcmp(o.mode, "nth") && n > o.nth_max)
		printf("    sweep stopped at N=%ld before the operation ran out of calls\n",
		       o.nth_max);
	close(fd);
	if (lfd >= 0)
		close(lfd);
	return fr.problems ? 1 : 0;
}

static void print_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s CMD [options]\n"
		"  stress    -d DEV [-p PORT|-R A-B] -r REP -o OPS -s SECS [-a ERRNOS] [-l LABEL]\n"
		"  get|op    -d DEV [-p PORT] -r REP [-o OP]\n"
		"  monitor   -s SECS\n"
		"  badinput  -d DEV          unpriv -d DEV\n"
		"  abandon   -d DEV -r REP [-p PORT] -n COUNT\n"
		"  interleave -d DEV -r REP -k BREAK_KNOB -e ELEMS -n COUNT\n"
		"  midread   -d DEV -p PORT -k SYSFS_DEV [-x recreate -v BREAK_KNOB]\n"
		"  fault     -m nth|prob -x dumpget|diagnose|report|newport -d DEV\n"
		"            [-r REP] [-p PORT] [-k PATH] [-K SYSFS_DEV] [-e ELEMS]\n"
		"            [-N MAX] [-S STEP_AFTER] [-T STEP] [-n COUNT] [-a ERRNOS]\n"
		"  OPS: get,setar,setad,recover,diagnose,dumpget,dumpclear,test,list,listdev\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *cmd;
	int c;

	if (argc < 2)
		print_usage(argv[0]);
	cmd = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "b:d:p:R:r:o:s:a:l:k:K:v:m:x:n:N:S:T:e:")) != -1) {
		switch (c) {
		case 'b':
			o.bus = optarg;
			break;
		case 'd':
			o.dev = optarg;
			break;
		case 'p':
			o.port = strtol(optarg, NULL, 0);
			break;
		case 'R':
			if (sscanf(optarg, "%ld-%ld", &o.port_first,
				   &o.port_last) != 2 ||
			    o.port_last < o.port_first)
				print_usage(argv[0]);
			break;
		case 'r':
			o.reporter = optarg;
			break;
		case 'o':
			o.ops = optarg;
			break;
		case 's':
			o.seconds = strtod(optarg, NULL);
			break;
		case 'a':
			o.allow = optarg;
			break;
		case 'l':
			o.label = optarg;
			break;
		case 'k':
			o.knob = optarg;
			break;
		case 'K':
			o.sysdev = optarg;
			break;
		case 'v':
			o.value = optarg;
			break;
		case 'm':
			o.mode = optarg;
			break;
		case 'x':
			o.scenario = optarg;
			break;
		case 'n':
			o.count = strtol(optarg, NULL, 0);
			break;
		case 'N':
			o.nth_max = strtol(optarg, NULL, 0);
			break;
		case 'S':
			o.nth_step_after = strtol(optarg, NULL, 0);
			break;
		case 'T':
			o.nth_step = strtol(optarg, NULL, 0);
			break;
		case 'e':
			o.elems = strtol(optarg, NULL, 0);
			break;
		default:
			print_usage(argv[0]);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	resolve_family();

	if (!strcmp(cmd, "stress"))
		return cmd_stress();
	if (!strcmp(cmd, "get"))
		return cmd_get();
	if (!strcmp(cmd, "op"))
		return cmd_op();
	if (!strcmp(cmd, "monitor"))
		return cmd_monitor();
	if (!strcmp(cmd, "badinput"))
		return cmd_badinput();
	if (!strcmp(cmd, "unpriv"))
		return cmd_unpriv();
	if (!strcmp(cmd, "abandon"))
		return cmd_abandon();
	if (!strcmp(cmd, "interleave"))
		return cmd_interleave();
	if (!strcmp(cmd, "midread"))
		return cmd_midread();
	if (!strcmp(cmd, "fault"))
		return cmd_fault();
	print_usage(argv[0]);
	return 2;
}
