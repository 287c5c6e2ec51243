// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KUnit suite of the devlink health formatted message (fmsg) engine.
 *
 * The expected netlink stream is never taken from the engine itself: it is
 * either spelled out attribute by attribute, or produced by a reference
 * encoder that follows upstream 6.12 (nla_put_*() per item, every nest
 * start and end as a flag, matched or not), so that a change in what
 * userspace sees fails here. One deliberate difference: binary data is cut
 * in values of DEVLINK_FMSG_BINARY_PIECE bytes, not DEVLINK_FMSG_MAX_SIZE.
 */

#include <kunit/resource.h>
#include <kunit/test.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/linux/devlink.h>

#include "health.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

KUNIT_DEFINE_ACTION_WRAPPER(fmsg_test_free_fmsg, devlink_fmsg_free,
			    struct devlink_fmsg *);
KUNIT_DEFINE_ACTION_WRAPPER(fmsg_test_free_skb, kfree_skb, struct sk_buff *);
KUNIT_DEFINE_ACTION_WRAPPER(fmsg_test_vfree, vfree, const void *);

static struct devlink_fmsg *fmsg_test_alloc(struct kunit *test)
{
	struct devlink_fmsg *fmsg = devlink_fmsg_alloc();

	KUNIT_ASSERT_NOT_NULL(test, fmsg);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   fmsg_test_free_fmsg,
							   fmsg));
	return fmsg;
}

/* An empty skb with exactly @room bytes of tailroom. */
static struct sk_buff *fmsg_test_skb(struct kunit *test, unsigned int room)
{
	struct sk_buff *skb = alloc_skb(room, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   fmsg_test_free_skb,
							   skb));
	skb_reserve(skb, skb_tailroom(skb) - room);
	return skb;
}

static void *fmsg_test_vmalloc(struct kunit *test, size_t size)
{
	void *p = vmalloc(size);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, fmsg_test_vfree,
							   p));
	return p;
}

/* Deterministic bytes, different for every offset of a small blob. */
static void *fmsg_test_pattern(struct kunit *test, u32 len)
{
	u8 *p = fmsg_test_vmalloc(test, max(len, 1U));
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = i * 7 + i / 251 + 3;
	return p;
}

/* ----- scripts: one list of calls, played on an fmsg or on a reference ----- */

enum fmsg_test_op {
	OP_END,			/* end of a script */
	OP_OBJ_START,
	OP_OBJ_END,
	OP_PAIR_START,
	OP_PAIR_END,
	OP_ARR_START,
	OP_ARR_END,
	OP_BIN_START,
	OP_BIN_END,
	OP_BOOL_PAIR,
	OP_U8_PAIR,
	OP_U32_PAIR,
	OP_U64_PAIR,
	OP_STRING_PAIR,
	OP_BINARY_PAIR,
	OP_U32,
	OP_STRING,
	OP_BINARY,
};

/**
 * struct fmsg_test_step - one driver call of a script
 * @op: the call
 * @name: name of a pair; NULL for a generated name of @len bytes with NUL
 * @str: string value; NULL for a generated string of @len bytes with NUL
 * @num: integer value
 * @len: length of a binary value (generated), or see @name and @str
 * @repeat: times to make the call; 0 means once
 */
struct fmsg_test_step {
	enum fmsg_test_op op;
	const char *name;
	const char *str;
	u64 num;
	u32 len;
	u32 repeat;
};

static const char *fmsg_test_string(struct kunit *test, const char *s, u32 len)
{
	char *gen;

	if (s)
		return s;
	len = max(len, 1U);
	gen = fmsg_test_vmalloc(test, len);
	memset(gen, 'n', len - 1);
	gen[len - 1] = '\0';
	return gen;
}

static void fmsg_test_play_step(struct kunit *test, struct devlink_fmsg *fmsg,
				const struct fmsg_test_step *s)
{
	const char *name = NULL, *str = NULL;
	const void *bin = NULL;

	if (s->op >= OP_PAIR_START && s->op <= OP_BINARY_PAIR &&
	    s->op != OP_PAIR_END && s->op != OP_ARR_END && s->op != OP_BIN_END)
		name = fmsg_test_string(test, s->name, s->len);
	if (s->op == OP_STRING_PAIR || s->op == OP_STRING)
		str = fmsg_test_string(test, s->str, s->len);
	if (s->op == OP_BINARY_PAIR || s->op == OP_BINARY)
		bin = fmsg_test_pattern(test, s->len);

	switch (s->op) {
	case OP_END:
		break;
	case OP_OBJ_START:
		devlink_fmsg_obj_nest_start(fmsg);
		break;
	case OP_OBJ_END:
		devlink_fmsg_obj_nest_end(fmsg);
		break;
	case OP_PAIR_START:
		devlink_fmsg_pair_nest_start(fmsg, name);
		break;
	case OP_PAIR_END:
		devlink_fmsg_pair_nest_end(fmsg);
		break;
	case OP_ARR_START:
		devlink_fmsg_arr_pair_nest_start(fmsg, name);
		break;
	case OP_ARR_END:
		devlink_fmsg_arr_pair_nest_end(fmsg);
		break;
	case OP_BIN_START:
		devlink_fmsg_binary_pair_nest_start(fmsg, name);
		break;
	case OP_BIN_END:
		devlink_fmsg_binary_pair_nest_end(fmsg);
		break;
	case OP_BOOL_PAIR:
		devlink_fmsg_bool_pair_put(fmsg, name, s->num);
		break;
	case OP_U8_PAIR:
		devlink_fmsg_u8_pair_put(fmsg, name, s->num);
		break;
	case OP_U32_PAIR:
		devlink_fmsg_u32_pair_put(fmsg, name, s->num);
		break;
	case OP_U64_PAIR:
		devlink_fmsg_u64_pair_put(fmsg, name, s->num);
		break;
	case OP_STRING_PAIR:
		devlink_fmsg_string_pair_put(fmsg, name, str);
		break;
	case OP_BINARY_PAIR:
		devlink_fmsg_binary_pair_put(fmsg, name, bin, s->len);
		break;
	case OP_U32:
		devlink_fmsg_u32_put(fmsg, s->num);
		break;
	case OP_STRING:
		devlink_fmsg_string_put(fmsg, str);
		break;
	case OP_BINARY:
		devlink_fmsg_binary_put(fmsg, bin, s->len);
		break;
	}
}

static void fmsg_test_play(struct kunit *test, struct devlink_fmsg *fmsg,
			   const struct fmsg_test_step *steps)
{
	const struct fmsg_test_step *s;
	u32 i;

	for (s = steps; s->op != OP_END; s++)
		for (i = 0; i < max(s->repeat, 1U); i++)
			fmsg_test_play_step(test, fmsg, s);
}

/* Reference encoder: what upstream 6.12 puts in the skb for one item. */
static int fmsg_test_ref_value(struct sk_buff *skb, u8 type, const void *data,
			       u32 len)
{
	int attr = DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA;

	if (nla_put_u8(skb, DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE, type))
		return -EMSGSIZE;

	switch (type) {
	case NLA_FLAG:
	case NLA_U8:
		return nla_put_u8(skb, attr, *(const u8 *)data);
	case NLA_U32:
		return nla_put_u32(skb, attr, *(const u32 *)data);
	case NLA_U64:
		return nla_put_u64_64bit(skb, attr, *(const u64 *)data,
					 DEVLINK_ATTR_PAD);
	case NLA_NUL_STRING:
		return nla_put_string(skb, attr, data);
	default:
		return nla_put(skb, attr, len, data);
	}
}

static int fmsg_test_ref_pair(struct sk_buff *skb, const char *name)
{
	if (nla_put_flag(skb, DEVLINK_ATTR_FMSG_PAIR_NEST_START))
		return -EMSGSIZE;
	return nla_put_string(skb, DEVLINK_ATTR_FMSG_OBJ_NAME, name);
}

static int fmsg_test_ref_end(struct sk_buff *skb, int count)
{
	while (count--)
		if (nla_put_flag(skb, DEVLINK_ATTR_FMSG_NEST_END))
			return -EMSGSIZE;
	return 0;
}

/* Binary data: values of DEVLINK_FMSG_BINARY_PIECE, or one empty value. */
static int fmsg_test_ref_binary(struct sk_buff *skb, const u8 *bin, u32 len)
{
	u32 off = 0, piece;
	int err;

	do {
		piece = min_t(u32, len - off, DEVLINK_FMSG_BINARY_PIECE);
		err = fmsg_test_ref_value(skb, NLA_BINARY, bin + off, piece);
		off += piece;
	} while (!err && off < len);
	return err;
}

static int fmsg_test_ref_step(struct kunit *test, struct sk_buff *skb,
			      const struct fmsg_test_step *s)
{
	const char *name = NULL, *str = NULL;
	u8 b = s->num;
	u32 u = s->num;
	const u8 *bin;

	if (s->op >= OP_PAIR_START && s->op <= OP_BINARY_PAIR &&
	    s->op != OP_PAIR_END && s->op != OP_ARR_END && s->op != OP_BIN_END)
		name = fmsg_test_string(test, s->name, s->len);

	switch (s->op) {
	case OP_OBJ_START:
		return nla_put_flag(skb, DEVLINK_ATTR_FMSG_OBJ_NEST_START);
	case OP_PAIR_START:
		return fmsg_test_ref_pair(skb, name);
	case OP_ARR_START:
	case OP_BIN_START:
		if (fmsg_test_ref_pair(skb, name))
			return -EMSGSIZE;
		return nla_put_flag(skb, DEVLINK_ATTR_FMSG_ARR_NEST_START);
	case OP_OBJ_END:
	case OP_PAIR_END:
		return fmsg_test_ref_end(skb, 1);
	case OP_ARR_END:
	case OP_BIN_END:
		return fmsg_test_ref_end(skb, 2);
	case OP_BOOL_PAIR:
		b = !!s->num;
		return fmsg_test_ref_pair(skb, name) ?:
		       fmsg_test_ref_value(skb, NLA_FLAG, &b, 1) ?:
		       fmsg_test_ref_end(skb, 1);
	case OP_U8_PAIR:
		return fmsg_test_ref_pair(skb, name) ?:
		       fmsg_test_ref_value(skb, NLA_U8, &b, 1) ?:
		       fmsg_test_ref_end(skb, 1);
	case OP_U32_PAIR:
		return fmsg_test_ref_pair(skb, name) ?:
		       fmsg_test_ref_value(skb, NLA_U32, &u, 4) ?:
		       fmsg_test_ref_end(skb, 1);
	case OP_U64_PAIR:
		return fmsg_test_ref_pair(skb, name) ?:
		       fmsg_test_ref_value(skb, NLA_U64, &s->num, 8) ?:
		       fmsg_test_ref_end(skb, 1);
	case OP_STRING_PAIR:
		str = fmsg_test_string(test, s->str, s->len);
		return fmsg_test_ref_pair(skb, name) ?:
		       fmsg_test_ref_value(skb, NLA_NUL_STRING, str, 0) ?:
		       fmsg_test_ref_end(skb, 1);
	case OP_BINARY_PAIR:
		bin = fmsg_test_pattern(test, s->len);
		if (fmsg_test_ref_pair(skb, name) ||
		    nla_put_flag(skb, DEVLINK_ATTR_FMSG_ARR_NEST_START))
			return -EMSGSIZE;
		/* an empty blob is an empty array */
		if (s->len && fmsg_test_ref_binary(skb, bin, s->len))
			return -EMSGSIZE;
		return fmsg_test_ref_end(skb, 2);
	case OP_U32:
		return fmsg_test_ref_value(skb, NLA_U32, &u, 4);
	case OP_STRING:
		str = fmsg_test_string(test, s->str, s->len);
		return fmsg_test_ref_value(skb, NLA_NUL_STRING, str, 0);
	case OP_BINARY:
		bin = fmsg_test_pattern(test, s->len);
		return fmsg_test_ref_binary(skb, bin, s->len);
	default:
		return 0;
	}
}

static void fmsg_test_ref_play(struct kunit *test, struct sk_buff *skb,
			       const struct fmsg_test_step *steps)
{
	const struct fmsg_test_step *s;
	struct nlattr *nest;
	u32 i;

	nest = nla_nest_start_noflag(skb, DEVLINK_ATTR_FMSG);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	for (s = steps; s->op != OP_END; s++)
		for (i = 0; i < max(s->repeat, 1U); i++)
			KUNIT_ASSERT_EQ(test, 0, fmsg_test_ref_step(test, skb, s));
	nla_nest_end(skb, nest);
}

/* ----- reading back what devlink_fmsg_fill() wrote ----- */

/* The DEVLINK_ATTR_FMSG nest that a fill put at @off, checked. */
static struct nlattr *fmsg_test_nest(struct kunit *test, struct sk_buff *skb,
				     unsigned int off)
{
	struct nlattr *nest = (struct nlattr *)(skb->data + off);

	KUNIT_ASSERT_GE(test, skb->len, off + NLA_HDRLEN);
	KUNIT_ASSERT_EQ(test, nla_type(nest), DEVLINK_ATTR_FMSG);
	/* A truncated u16 length would lose items in userspace. */
	KUNIT_ASSERT_EQ(test, (unsigned int)nest->nla_len, skb->len - off);
	return nest;
}

/**
 * struct fmsg_test_stream - attributes of several messages, PADs dropped
 * @buf: the attributes, back to back, each padded as on the wire
 * @len: bytes used in @buf
 * @cap: bytes allocated for @buf
 * @messages: messages read
 *
 * Pads depend on where a u64 lands in each skb, so two serializations of
 * one fmsg are equal once the pads are dropped; everything else must be
 * byte for byte the same.
 */
struct fmsg_test_stream {
	u8 *buf;
	size_t len;
	size_t cap;
	unsigned int messages;
};

static void fmsg_test_stream_init(struct kunit *test,
				  struct fmsg_test_stream *st, size_t cap)
{
	st->buf = fmsg_test_vmalloc(test, cap);
	st->len = 0;
	st->cap = cap;
	st->messages = 0;
}

/* Append the attributes of one nest, checking where each PAD stands. */
static void fmsg_test_stream_add(struct kunit *test,
				 struct fmsg_test_stream *st,
				 const struct nlattr *nest)
{
	const struct nlattr *attr, *prev = NULL;
	bool u64_next = false;
	int rem;

	nla_for_each_attr(attr, nla_data(nest), nla_len(nest), rem) {
		if (nla_type(attr) == DEVLINK_ATTR_PAD) {
			/* Only nla_put_u64_64bit() may have put it. */
			KUNIT_ASSERT_TRUE(test, u64_next);
			KUNIT_ASSERT_EQ(test, nla_len(attr), 0);
			continue;
		}
		if (nla_type(attr) == DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA &&
		    u64_next && !IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS))
			KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)nla_data(attr), 8));

		u64_next = nla_type(attr) == DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE &&
			   nla_get_u8(attr) == NLA_U64;
		KUNIT_ASSERT_LE(test, st->len + nla_total_size(nla_len(attr)),
				st->cap);
		memcpy(st->buf + st->len, attr, nla_total_size(nla_len(attr)));
		st->len += nla_total_size(nla_len(attr));
		prev = attr;
	}
	KUNIT_ASSERT_EQ(test, rem, 0);
	/* A message never ends between a value's type and its data. */
	if (prev)
		KUNIT_ASSERT_NE(test, nla_type(prev),
				DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE);
	st->messages++;
}

/*
 * Serialize a finished fmsg into messages of @room bytes, as a dump does,
 * and collect the attributes.
 */
static void fmsg_test_serialize(struct kunit *test, struct devlink_fmsg *fmsg,
				unsigned int room, struct fmsg_test_stream *st)
{
	struct devlink_fmsg_cursor cursor = {};
	struct devlink_fmsg_cursor prev;
	struct sk_buff *skb = fmsg_test_skb(test, room);
	int err;

	do {
		skb_trim(skb, 0);
		prev = cursor;
		err = devlink_fmsg_fill(fmsg, skb, &cursor);
		KUNIT_ASSERT_TRUE(test, !err || err == -EMSGSIZE);
		/* Every message but the last makes progress. */
		if (err)
			KUNIT_ASSERT_TRUE(test, prev.chunk != cursor.chunk ||
					  prev.offset != cursor.offset);
		fmsg_test_stream_add(test, st, fmsg_test_nest(test, skb, 0));
	} while (err);
	KUNIT_ASSERT_TRUE(test, devlink_fmsg_cursor_done(fmsg, &cursor));
}

/* Expected attribute: @type with @len bytes of @data; type 0 ends a list. */
struct fmsg_test_attr {
	u16 type;
	u16 len;
	const void *data;
};

static void fmsg_test_expect_attrs(struct kunit *test,
				   const struct fmsg_test_stream *st,
				   const struct fmsg_test_attr *expect)
{
	const struct nlattr *attr;
	int rem;

	nla_for_each_attr(attr, (const struct nlattr *)st->buf, st->len, rem) {
		KUNIT_ASSERT_NE_MSG(test, expect->type, 0, "extra attribute");
		KUNIT_EXPECT_EQ(test, nla_type(attr), expect->type);
		KUNIT_ASSERT_EQ(test, nla_len(attr), expect->len);
		if (expect->len)
			KUNIT_EXPECT_MEMEQ(test, nla_data(attr), expect->data,
					   expect->len);
		expect++;
	}
	KUNIT_EXPECT_EQ(test, rem, 0);
	KUNIT_EXPECT_EQ_MSG(test, expect->type, 0, "missing attribute");
}

/* ----- encoding of each value type ----- */

#define A_FLAG(t)	{ .type = DEVLINK_ATTR_FMSG_##t }
#define A_NAME(s)	{ DEVLINK_ATTR_FMSG_OBJ_NAME, sizeof(s), s }
#define A_TYPE(t)	{ DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE, 1, &(const u8){ t } }
#define A_DATA(p, l)	{ DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA, l, p }

/* fmsg_test_pattern(5) */
static const u8 fmsg_test_bin5[] = { 3, 10, 17, 24, 31 };

struct fmsg_test_value_case {
	const char *desc;
	struct fmsg_test_step steps[5];
	struct fmsg_test_attr expect[10];
};

static const struct fmsg_test_value_case fmsg_test_value_cases[] = {
	{
		.desc = "bool true: NLA_FLAG type, u8 1 data",
		.steps = { { .op = OP_BOOL_PAIR, .name = "b", .num = 1 } },
		.expect = { A_FLAG(PAIR_NEST_START), A_NAME("b"),
			    A_TYPE(NLA_FLAG), A_DATA(&(const u8){ 1 }, 1),
			    A_FLAG(NEST_END) },
	}, {
		.desc = "bool false: NLA_FLAG type, u8 0 data",
		.steps = { { .op = OP_BOOL_PAIR, .name = "b", .num = 0 } },
		.expect = { A_FLAG(PAIR_NEST_START), A_NAME("b"),
			    A_TYPE(NLA_FLAG), A_DATA(&(const u8){ 0 }, 1),
			    A_FLAG(NEST_END) },
	}, {
		.desc = "u8 pair",
		.steps = { { .op = OP_U8_PAIR, .name = "u8", .num = 0xa5 } },
		.expect = { A_FLAG(PAIR_NEST_START), A_NAME("u8"),
			    A_TYPE(NLA_U8), A_DATA(&(const u8){ 0xa5 }, 1),
			    A_FLAG(NEST_END) },
	}, {
		.desc = "u32 pair",
		.steps = { { .op = OP_U32_PAIR, .name = "u32",
			     .num = 0xdeadbeef } },
		.expect = { A_FLAG(PAIR_NEST_START), A_NAME("u32"),
			    A_TYPE(NLA_U32),
			    A_DATA(&(const u32){ 0xdeadbeef }, 4),
			    A_FLAG(NEST_END) },
	}, {
		.desc = "u64 pair",
		.steps = { { .op = OP_U64_PAIR, .name = "u64",
			     .num = 0x0123456789abcdefULL } },
		.expect = { A_FLAG(PAIR_NEST_START), A_NAME("u64"),
			    A_TYPE(NLA_U64),
			    A_DATA(&(const u64){ 0x0123456789abcdefULL }, 8),
			    A_FLAG(NEST_END) },
	}, {
		.desc = "string pair: NLA_NUL_STRING with its NUL",
		.steps = { { .op = OP_STRING_PAIR, .name = "s",
			     .str = "somestring" } },
		.expect = { A_FLAG(PAIR_NEST_START), A_NAME("s"),
			    A_TYPE(NLA_NUL_STRING), A_DATA("somestring", 11),
			    A_FLAG(NEST_END) },
	}, {
		.desc = "empty string pair",
		.steps = { { .op = OP_STRING_PAIR, .name = "s", .str = "" } },
		.expect = { A_FLAG(PAIR_NEST_START), A_NAME("s"),
			    A_TYPE(NLA_NUL_STRING), A_DATA("", 1),
			    A_FLAG(NEST_END) },
	}, {
		.desc = "u32 and string array elements",
		.steps = { { .op = OP_ARR_START, .name = "a" },
			   { .op = OP_U32, .num = 7 },
			   { .op = OP_STRING, .str = "x" },
			   { .op = OP_ARR_END } },
		.expect = { A_FLAG(PAIR_NEST_START), A_NAME("a"),
			    A_FLAG(ARR_NEST_START),
			    A_TYPE(NLA_U32), A_DATA(&(const u32){ 7 }, 4),
			    A_TYPE(NLA_NUL_STRING), A_DATA("x", 2),
			    A_FLAG(NEST_END), A_FLAG(NEST_END) },
	}, {
		.desc = "binary pair: NLA_BINARY in an array",
		.steps = { { .op = OP_BIN_START, .name = "bin" },
			   { .op = OP_BINARY, .len = 5 },
			   { .op = OP_BIN_END } },
		.expect = { A_FLAG(PAIR_NEST_START), A_NAME("bin"),
			    A_FLAG(ARR_NEST_START),
			    A_TYPE(NLA_BINARY), A_DATA(fmsg_test_bin5, 5),
			    A_FLAG(NEST_END), A_FLAG(NEST_END) },
	},
};

KUNIT_ARRAY_PARAM_DESC(fmsg_test_value, fmsg_test_value_cases, desc);

static void devlink_fmsg_test_value_encoding(struct kunit *test)
{
	const struct fmsg_test_value_case *c = test->param_value;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	struct fmsg_test_stream st;

	fmsg_test_play(test, fmsg, c->steps);
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));
	fmsg_test_stream_init(test, &st, PAGE_SIZE);
	fmsg_test_serialize(test, fmsg, PAGE_SIZE, &st);
	fmsg_test_expect_attrs(test, &st, c->expect);
}

/* ----- devlink_fmsg_put(): the pair put picked by the value's type ----- */

static void fmsg_test_put_bool(struct devlink_fmsg *fmsg)
{
	bool v = true;

	devlink_fmsg_put(fmsg, "v", v);
}

static void fmsg_test_put_u8(struct devlink_fmsg *fmsg)
{
	devlink_fmsg_put(fmsg, "v", (u8)0xa5);
}

static void fmsg_test_put_u16(struct devlink_fmsg *fmsg)
{
	devlink_fmsg_put(fmsg, "v", (u16)0xbeef);
}

static void fmsg_test_put_u32(struct devlink_fmsg *fmsg)
{
	devlink_fmsg_put(fmsg, "v", (u32)0xdeadbeef);
}

static void fmsg_test_put_int(struct devlink_fmsg *fmsg)
{
	devlink_fmsg_put(fmsg, "v", -2);
}

static void fmsg_test_put_u64(struct devlink_fmsg *fmsg)
{
	devlink_fmsg_put(fmsg, "v", (u64)0x0123456789abcdefULL);
}

static void fmsg_test_put_char_ptr(struct devlink_fmsg *fmsg)
{
	char buf[] = "mutable";
	char *v = buf;

	devlink_fmsg_put(fmsg, "v", v);
}

static void fmsg_test_put_const_char_ptr(struct devlink_fmsg *fmsg)
{
	const char *v = "constant";

	devlink_fmsg_put(fmsg, "v", v);
}

struct fmsg_test_put_case {
	const char *desc;
	void (*put)(struct devlink_fmsg *fmsg);
	struct fmsg_test_attr value[2];
};

#define PUT_CASE(_desc, _put, _type, _data, _len)			\
	{ .desc = _desc, .put = _put,					\
	  .value = { A_TYPE(DEVLINK_VAR_ATTR_TYPE_##_type), A_DATA(_data, _len) } }

static const struct fmsg_test_put_case fmsg_test_put_cases[] = {
	PUT_CASE("bool: a bool pair", fmsg_test_put_bool, FLAG,
		 &(const u8){ 1 }, 1),
	PUT_CASE("u8: a u8 pair", fmsg_test_put_u8, U8,
		 &(const u8){ 0xa5 }, 1),
	PUT_CASE("u16: a u32 pair", fmsg_test_put_u16, U32,
		 &(const u32){ 0xbeef }, 4),
	PUT_CASE("u32: a u32 pair", fmsg_test_put_u32, U32,
		 &(const u32){ 0xdeadbeef }, 4),
	PUT_CASE("int: a u32 pair, two's complement", fmsg_test_put_int, U32,
		 &(const u32){ 0xfffffffe }, 4),
	PUT_CASE("u64: a u64 pair", fmsg_test_put_u64, U64,
		 &(const u64){ 0x0123456789abcdefULL }, 8),
	PUT_CASE("char *: a string pair", fmsg_test_put_char_ptr, NUL_STRING,
		 "mutable", 8),
	PUT_CASE("const char *: a string pair", fmsg_test_put_const_char_ptr,
		 NUL_STRING, "constant", 9),
};

KUNIT_ARRAY_PARAM_DESC(fmsg_test_put, fmsg_test_put_cases, desc);

static void devlink_fmsg_test_generic_put(struct kunit *test)
{
	const struct fmsg_test_put_case *c = test->param_value;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	const struct fmsg_test_attr expect[] = {
		A_FLAG(PAIR_NEST_START), A_NAME("v"), c->value[0], c->value[1],
		A_FLAG(NEST_END), {}
	};
	struct fmsg_test_stream st;

	c->put(fmsg);
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));
	fmsg_test_stream_init(test, &st, PAGE_SIZE);
	fmsg_test_serialize(test, fmsg, PAGE_SIZE, &st);
	fmsg_test_expect_attrs(test, &st, expect);
}

/* ----- devlink_fmsg_dump_skb() ----- */

/* A named value (or nest, without a type) of a serialized stream. */
struct fmsg_test_pair {
	const char *name;
	u8 type;
	u64 value;
};

#define FMSG_TEST_PAIRS_MAX	64

/* The names of @st in order, with the type and integer value of each. */
static int fmsg_test_pairs(struct kunit *test, const struct fmsg_test_stream *st,
			   struct fmsg_test_pair *pairs)
{
	const struct nlattr *attr;
	int n = -1, rem;

	nla_for_each_attr(attr, (const struct nlattr *)st->buf, st->len, rem) {
		switch (nla_type(attr)) {
		case DEVLINK_ATTR_FMSG_OBJ_NAME:
			KUNIT_ASSERT_LT(test, n + 1, FMSG_TEST_PAIRS_MAX);
			pairs[++n] = (struct fmsg_test_pair){ .name = nla_data(attr) };
			break;
		case DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE:
			KUNIT_ASSERT_GE(test, n, 0);
			pairs[n].type = nla_get_u8(attr);
			break;
		case DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA:
			KUNIT_ASSERT_GE(test, n, 0);
			if (nla_len(attr) == 8)
				pairs[n].value = nla_get_u64(attr);
			else if (nla_len(attr) == 4)
				pairs[n].value = nla_get_u32(attr);
			else if (nla_len(attr) == 2)
				pairs[n].value = nla_get_u16(attr);
			else if (nla_len(attr) == 1)
				pairs[n].value = nla_get_u8(attr);
			break;
		}
	}
	return n + 1;
}

enum fmsg_test_skb_kind {
	SKB_HEADERS_UNSET,
	SKB_HEADERS_SET,
	SKB_OWNED,
};

struct fmsg_test_skb_case {
	const char *desc;
	enum fmsg_test_skb_kind kind;
	/* expected pairs in order; type 0 is a nest, value not checked */
	struct fmsg_test_pair expect[40];
};

#define P_NEST(n)	{ .name = n }
#define P_U32(n, v)	{ .name = n, .type = DEVLINK_VAR_ATTR_TYPE_U32, .value = v }
#define P_U8(n, v)	{ .name = n, .type = DEVLINK_VAR_ATTR_TYPE_U8, .value = v }

/* alloc_skb(128), 16 bytes reserved, 64 put: tailroom depends on the slab */
#define SKB_TAIL	U64_MAX

static const struct fmsg_test_skb_case fmsg_test_skb_cases[] = {
	{
		.desc = "headers unset: offsets U32_MAX, no sk",
		.kind = SKB_HEADERS_UNSET,
		.expect = {
			P_NEST("skb"), P_U32("actual len", 64),
			P_U32("head len", 64), P_U32("data len", 0),
			P_U32("tail len", SKB_TAIL), P_U32("MAC", U32_MAX),
			P_U32("MAC len", U32_MAX), P_U32("network hdr", 16),
			P_U32("network hdr len", U32_MAX),
			P_U32("transport hdr", U32_MAX), P_U32("csum", 0),
			P_U8("csum_ip_summed", CHECKSUM_NONE),
			P_U32("csum_complete_sw", 0), P_U32("csum_valid", 0),
			P_U8("csum_level", 0), P_U32("sw_hash", 0),
			P_U32("l4_hash", 0), P_U32("proto", 0),
			P_U8("pkt_type", 0), P_U32("iif", 0),
			P_NEST("shinfo"), P_U8("tx_flags", 0),
			P_U8("nr_frags", 0), P_U32("gso_size", 0),
			P_U32("gso_type", 0), P_U32("gso_segs", 0),
		},
	}, {
		.desc = "headers, checksum, hash and GSO set",
		.kind = SKB_HEADERS_SET,
		.expect = {
			P_NEST("skb"), P_U32("actual len", 64),
			P_U32("head len", 64), P_U32("data len", 0),
			P_U32("tail len", SKB_TAIL), P_U32("MAC", 16),
			P_U32("MAC len", ETH_HLEN),
			P_U32("network hdr", 16 + ETH_HLEN),
			P_U32("network hdr len", 40),
			P_U32("transport hdr", 16 + ETH_HLEN + 40),
			P_U32("csum", 0x12345678),
			P_U8("csum_ip_summed", CHECKSUM_PARTIAL),
			P_U32("csum_complete_sw", 1), P_U32("csum_valid", 1),
			P_U8("csum_level", 2), P_U32("sw_hash", 1),
			P_U32("l4_hash", 1), P_U32("proto", ETH_P_IPV6),
			P_U8("pkt_type", PACKET_OUTGOING), P_U32("iif", 7),
			P_NEST("shinfo"), P_U8("tx_flags", SKBTX_HW_TSTAMP),
			P_U8("nr_frags", 0), P_U32("gso_size", 1400),
			P_U32("gso_type", SKB_GSO_TCPV6), P_U32("gso_segs", 3),
		},
	}, {
		.desc = "owned by a socket: an sk object",
		.kind = SKB_OWNED,
		.expect = {
			P_NEST("skb"), P_U32("actual len", 64),
			P_U32("head len", 64), P_U32("data len", 0),
			P_U32("tail len", SKB_TAIL), P_U32("MAC", U32_MAX),
			P_U32("MAC len", U32_MAX), P_U32("network hdr", 16),
			P_U32("network hdr len", U32_MAX),
			P_U32("transport hdr", U32_MAX), P_U32("csum", 0),
			P_U8("csum_ip_summed", CHECKSUM_NONE),
			P_U32("csum_complete_sw", 0), P_U32("csum_valid", 0),
			P_U8("csum_level", 0), P_U32("sw_hash", 0),
			P_U32("l4_hash", 0), P_U32("proto", 0),
			P_U8("pkt_type", 0), P_U32("iif", 0),
			P_NEST("sk"), P_U32("family", AF_INET6),
			P_U32("type", SOCK_DGRAM), P_U32("proto", IPPROTO_UDP),
			P_NEST("shinfo"), P_U8("tx_flags", 0),
			P_U8("nr_frags", 0), P_U32("gso_size", 0),
			P_U32("gso_type", 0), P_U32("gso_segs", 0),
		},
	},
};

KUNIT_ARRAY_PARAM_DESC(fmsg_test_skb, fmsg_test_skb_cases, desc);

static void fmsg_test_skb_disown(void *skb)
{
	((struct sk_buff *)skb)->sk = NULL;
}

static struct sk_buff *fmsg_test_dump_skb_make(struct kunit *test,
					       enum fmsg_test_skb_kind kind)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct skb_shared_info *shinfo;
	struct sock *sk;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   fmsg_test_free_skb,
							   skb));
	skb_reserve(skb, 16);
	skb_reset_network_header(skb);
	skb_put_zero(skb, 64);
	if (kind == SKB_OWNED) {
		sk = kunit_kzalloc(test, sizeof(*sk), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, sk);
		sk->sk_family = AF_INET6;
		sk->sk_type = SOCK_DGRAM;
		sk->sk_protocol = IPPROTO_UDP;
		/* no destructor: the skb is freed as an unowned one */
		skb->sk = sk;
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test,
							  fmsg_test_skb_disown,
							  skb));
	}
	if (kind != SKB_HEADERS_SET)
		return skb;

	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, ETH_HLEN + 40);
	skb->csum = (__force __wsum)0x12345678;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_complete_sw = 1;
	skb->csum_valid = 1;
	skb->csum_level = 2;
	skb->sw_hash = 1;
	skb->l4_hash = 1;
	skb->protocol = htons(ETH_P_IPV6);
	skb->pkt_type = PACKET_OUTGOING;
	skb->skb_iif = 7;
	shinfo = skb_shinfo(skb);
	shinfo->tx_flags = SKBTX_HW_TSTAMP;
	shinfo->gso_size = 1400;
	shinfo->gso_type = SKB_GSO_TCPV6;
	shinfo->gso_segs = 3;
	return skb;
}

static void devlink_fmsg_test_dump_skb(struct kunit *test)
{
	const struct fmsg_test_skb_case *c = test->param_value;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	struct fmsg_test_pair *pairs;
	const struct fmsg_test_pair *e;
	struct fmsg_test_stream st;
	struct sk_buff *skb;
	int n, i;

	pairs = kunit_kcalloc(test, FMSG_TEST_PAIRS_MAX, sizeof(*pairs),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pairs);
	skb = fmsg_test_dump_skb_make(test, c->kind);

	devlink_fmsg_obj_nest_start(fmsg);
	devlink_fmsg_dump_skb(fmsg, skb);
	devlink_fmsg_obj_nest_end(fmsg);
	/* nests balanced: nothing for the core to flag */
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));
	KUNIT_EXPECT_FALSE(test, devlink_fmsg_malformed(fmsg));
	fmsg_test_stream_init(test, &st, PAGE_SIZE);
	fmsg_test_serialize(test, fmsg, PAGE_SIZE, &st);

	n = fmsg_test_pairs(test, &st, pairs);
	for (i = 0, e = c->expect; e->name; i++, e++) {
		KUNIT_ASSERT_LT_MSG(test, i, n, "missing pair %s", e->name);
		KUNIT_EXPECT_STREQ(test, pairs[i].name, e->name);
		KUNIT_EXPECT_EQ_MSG(test, pairs[i].type, e->type, "type of %s",
				    e->name);
		if (e->type && e->value != SKB_TAIL)
			KUNIT_EXPECT_EQ_MSG(test, pairs[i].value, e->value,
					    "value of %s", e->name);
	}
	KUNIT_EXPECT_EQ_MSG(test, i, n, "extra pairs after %s", pairs[i - 1].name);
	/* the tail room, whatever the slab gave */
	KUNIT_EXPECT_EQ(test, pairs[4].value, (u64)skb_tailroom(skb));
}

/* ----- byte for byte against the upstream encoding ----- */

static const struct fmsg_test_step fmsg_test_nsim_steps[] = {
	{ .op = OP_OBJ_START },
	{ .op = OP_BOOL_PAIR, .name = "test_bool", .num = 1 },
	{ .op = OP_U8_PAIR, .name = "test_u8", .num = 1 },
	{ .op = OP_U32_PAIR, .name = "test_u32", .num = 3 },
	{ .op = OP_U64_PAIR, .name = "test_u64", .num = 4 },
	{ .op = OP_STRING_PAIR, .name = "test_string", .str = "somestring" },
	{ .op = OP_BINARY_PAIR, .name = "test_binary", .len = 5000 },
	{ .op = OP_PAIR_START, .name = "test_nest" },
	{ .op = OP_OBJ_START },
	{ .op = OP_BOOL_PAIR, .name = "nested_test_bool", .num = 0 },
	{ .op = OP_U8_PAIR, .name = "nested_test_u8", .num = 0 },
	{ .op = OP_OBJ_END },
	{ .op = OP_PAIR_END },
	{ .op = OP_ARR_START, .name = "test_u32_array" },
	{ .op = OP_U32, .num = 9, .repeat = 10 },
	{ .op = OP_ARR_END },
	{ .op = OP_ARR_START, .name = "test_array_of_objects" },
	{ .op = OP_OBJ_START },
	{ .op = OP_U8_PAIR, .name = "in_array_nested_test_u8", .num = 2 },
	{ .op = OP_OBJ_END },
	{ .op = OP_ARR_END },
	/* u64s after names of 1 and 5 characters: both alignments */
	{ .op = OP_U64_PAIR, .name = "a", .num = U64_MAX },
	{ .op = OP_U64_PAIR, .name = "abcde", .num = 1ULL << 63 },
	{ .op = OP_U64_PAIR, .name = "ab", .num = 42, .repeat = 3 },
	{ .op = OP_BIN_START, .name = "raw" },
	{ .op = OP_BINARY, .len = 1 },
	{ .op = OP_BINARY, .len = 301 },
	{ .op = OP_BIN_END },
	{ .op = OP_BINARY_PAIR, .name = "empty" },
	{ .op = OP_STRING_PAIR, .name = "s", .str = "" },
	{ .op = OP_OBJ_END },
	{ }
};

struct fmsg_test_skew_case {
	const char *desc;
	unsigned int skew;
};

static const struct fmsg_test_skew_case fmsg_test_skew_cases[] = {
	{ "nest at an 8-byte aligned offset", 0 },
	{ "nest 4 bytes off 8-byte alignment", 4 },
};

KUNIT_ARRAY_PARAM_DESC(fmsg_test_skew, fmsg_test_skew_cases, desc);

/*
 * Fill the finished @fmsg in one skb, @skew bytes into it, and check the
 * bytes against the reference encoding of @steps.
 */
static void fmsg_test_expect_ref_bytes(struct kunit *test,
				       struct devlink_fmsg *fmsg,
				       const struct fmsg_test_step *steps,
				       unsigned int skew)
{
	struct devlink_fmsg_cursor cursor = {};
	struct sk_buff *ours, *ref;

	/* Same size, same allocator: both start at the same alignment. */
	ours = fmsg_test_skb(test, 4 * PAGE_SIZE);
	ref = fmsg_test_skb(test, 4 * PAGE_SIZE);
	skb_put_zero(ours, skew);
	skb_put_zero(ref, skew);
	KUNIT_ASSERT_EQ(test, (unsigned long)ours->data & 7,
			(unsigned long)ref->data & 7);

	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_fill(fmsg, ours, &cursor));
	fmsg_test_ref_play(test, ref, steps);

	KUNIT_ASSERT_EQ(test, ours->len, ref->len);
	KUNIT_EXPECT_MEMEQ(test, ours->data, ref->data, ref->len);
}

static void devlink_fmsg_test_matches_upstream_bytes(struct kunit *test)
{
	const struct fmsg_test_skew_case *c = test->param_value;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);

	fmsg_test_play(test, fmsg, fmsg_test_nsim_steps);
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));
	KUNIT_EXPECT_FALSE(test, devlink_fmsg_malformed(fmsg));
	fmsg_test_expect_ref_bytes(test, fmsg, fmsg_test_nsim_steps, c->skew);
}

/*
 * The calls of 6.12's netdevsim dummy reporter, core's object included:
 * after "test_nest" it ends an array it never opened, which closes the
 * core's object and then nothing. 6.12 sent that stream as it was.
 */
static const struct fmsg_test_step fmsg_test_nsim_6_12_steps[] = {
	{ .op = OP_OBJ_START },
	{ .op = OP_BOOL_PAIR, .name = "test_bool", .num = 1 },
	{ .op = OP_U8_PAIR, .name = "test_u8", .num = 1 },
	{ .op = OP_U32_PAIR, .name = "test_u32", .num = 3 },
	{ .op = OP_U64_PAIR, .name = "test_u64", .num = 4 },
	{ .op = OP_STRING_PAIR, .name = "test_string", .str = "somestring" },
	{ .op = OP_BINARY_PAIR, .name = "test_binary", .len = 16 },
	{ .op = OP_PAIR_START, .name = "test_nest" },
	{ .op = OP_OBJ_START },
	{ .op = OP_BOOL_PAIR, .name = "nested_test_bool", .num = 0 },
	{ .op = OP_U8_PAIR, .name = "nested_test_u8", .num = 0 },
	{ .op = OP_OBJ_END },
	{ .op = OP_PAIR_END },
	{ .op = OP_ARR_END },
	{ .op = OP_ARR_START, .name = "test_u32_array" },
	{ .op = OP_U32, .num = 9, .repeat = 10 },
	{ .op = OP_ARR_END },
	{ .op = OP_ARR_START, .name = "test_array_of_objects" },
	{ .op = OP_OBJ_START, },
	{ .op = OP_BOOL_PAIR, .name = "in_array_nested_test_bool", .num = 0 },
	{ .op = OP_U8_PAIR, .name = "in_array_nested_test_u8", .num = 2 },
	{ .op = OP_OBJ_END },
	{ .op = OP_ARR_END },
	{ .op = OP_OBJ_END },
	{ }
};

static void devlink_fmsg_test_netdevsim_6_12_accepted(struct kunit *test)
{
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);

	fmsg_test_play(test, fmsg, fmsg_test_nsim_6_12_steps);
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));
	KUNIT_EXPECT_TRUE(test, devlink_fmsg_malformed(fmsg));
	fmsg_test_expect_ref_bytes(test, fmsg, fmsg_test_nsim_6_12_steps, 0);
}

/* ----- nesting rules ----- */

/*
 * @err: what devlink_fmsg_finish() returns, a refusal of 6.12;
 * @malformed: for an accepted fmsg, whether its ends do not pair up with
 * its starts. An accepted fmsg goes out byte for byte as 6.12's.
 */
struct fmsg_test_nest_case {
	const char *desc;
	struct fmsg_test_step steps[10];
	int err;
	bool malformed;
};

#define FMSG_MAX	DEVLINK_FMSG_MAX_SIZE

static const struct fmsg_test_nest_case fmsg_test_nest_cases[] = {
	{ "empty fmsg", { }, 0 },
	{ "every nest kind, balanced",
	  { { OP_PAIR_START, "p" }, { OP_OBJ_START }, { OP_ARR_START, "a" },
	    { OP_BIN_START, "b" }, { OP_BIN_END }, { OP_ARR_END },
	    { OP_OBJ_END }, { OP_PAIR_END } }, 0 },
	{ "obj end without start: sent, malformed", { { OP_OBJ_END } }, 0, true },
	{ "pair end without start: sent, malformed", { { OP_PAIR_END } }, 0,
	  true },
	{ "arr pair end without start: sent, malformed", { { OP_ARR_END } }, 0,
	  true },
	{ "obj closed by pair end: sent, malformed",
	  { { OP_OBJ_START }, { OP_PAIR_END } }, 0, true },
	{ "pair closed by obj end: sent, malformed",
	  { { OP_PAIR_START, "p" }, { OP_OBJ_END } }, 0, true },
	{ "arr pair closed by two pair ends: sent, malformed",
	  { { OP_ARR_START, "a" }, { OP_PAIR_END }, { OP_PAIR_END } }, 0,
	  true },
	{ "stray arr pair end after a pair, as netdevsim 6.12: sent, malformed",
	  { { OP_OBJ_START }, { OP_PAIR_START, "test_nest" }, { OP_OBJ_START },
	    { OP_OBJ_END }, { OP_PAIR_END }, { OP_ARR_END }, { OP_OBJ_END } },
	  0, true },
	{ "obj left open at finish: sent, malformed", { { OP_OBJ_START } }, 0,
	  true },
	{ "pair left open at finish: sent, malformed",
	  { { OP_PAIR_START, "p" } }, 0, true },
	{ "arr pair left open at finish: sent, malformed",
	  { { OP_ARR_START, "a" } }, 0, true },
	{ "binary nest left open at finish: sent, malformed",
	  { { OP_BIN_START, "b" }, { OP_BINARY, .len = 4 } }, 0, true },
	{ "1000 nested objects, balanced",
	  { { OP_OBJ_START, .repeat = 1000 }, { OP_OBJ_END, .repeat = 1000 } },
	  0 },
	{ "1000 nested objects, one left open: sent, malformed",
	  { { OP_OBJ_START, .repeat = 1000 }, { OP_OBJ_END, .repeat = 999 } },
	  0, true },
	{ "100 nested objects closed by pair ends: sent, malformed",
	  { { OP_OBJ_START, .repeat = 100 }, { OP_PAIR_END, .repeat = 100 } },
	  0, true },
	{ "binary pair end without start",
	  { { OP_BIN_END } }, -EINVAL },
	{ "binary nest left open, then the core's obj end",
	  { { OP_OBJ_START }, { OP_BIN_START, "b" }, { OP_OBJ_END } },
	  -EINVAL },
	{ "binary put outside a binary nest",
	  { { OP_OBJ_START }, { OP_BINARY, .len = 4 }, { OP_OBJ_END } },
	  -EINVAL },
	{ "binary put in a plain array",
	  { { OP_ARR_START, "a" }, { OP_BINARY, .len = 4 }, { OP_ARR_END } },
	  -EINVAL },
	{ "u32 put in a binary nest",
	  { { OP_BIN_START, "b" }, { OP_U32 }, { OP_BIN_END } }, -EINVAL },
	{ "string pair in a binary nest",
	  { { OP_BIN_START, "b" }, { OP_STRING_PAIR, "s", "v" },
	    { OP_BIN_END } }, -EINVAL },
	{ "obj start in a binary nest",
	  { { OP_BIN_START, "b" }, { OP_OBJ_START } }, -EINVAL },
	{ "pair end in a binary nest",
	  { { OP_BIN_START, "b" }, { OP_PAIR_END } }, -EINVAL },
	{ "binary nest in a binary nest",
	  { { OP_BIN_START, "b" }, { OP_BIN_START, "c" } }, -EINVAL },
	{ "binary nest closed by arr pair end",
	  { { OP_BIN_START, "b" }, { OP_ARR_END } }, -EINVAL },
	{ "array closed by binary pair end",
	  { { OP_ARR_START, "a" }, { OP_BIN_END } }, -EINVAL },
	{ "name of DEVLINK_FMSG_MAX_SIZE bytes",
	  { { OP_U8_PAIR, .len = FMSG_MAX } }, 0 },
	{ "name over DEVLINK_FMSG_MAX_SIZE",
	  { { OP_U8_PAIR, .len = FMSG_MAX + 1 } }, -EMSGSIZE },
	{ "string of DEVLINK_FMSG_MAX_SIZE bytes",
	  { { OP_STRING_PAIR, "s", .len = FMSG_MAX } }, 0 },
	{ "string over DEVLINK_FMSG_MAX_SIZE",
	  { { OP_STRING_PAIR, "s", .len = FMSG_MAX + 1 } }, -EMSGSIZE },
	{ "binary piece of DEVLINK_FMSG_MAX_SIZE",
	  { { OP_BIN_START, "b" }, { OP_BINARY, .len = FMSG_MAX },
	    { OP_BIN_END } }, 0 },
	{ "binary piece over DEVLINK_FMSG_MAX_SIZE",
	  { { OP_BIN_START, "b" }, { OP_BINARY, .len = FMSG_MAX + 1 },
	    { OP_BIN_END } }, -EMSGSIZE },
};

KUNIT_ARRAY_PARAM_DESC(fmsg_test_nest, fmsg_test_nest_cases, desc);

static void devlink_fmsg_test_nesting(struct kunit *test)
{
	const struct fmsg_test_nest_case *c = test->param_value;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	struct devlink_fmsg_cursor cursor = {};
	struct sk_buff *skb;

	fmsg_test_play(test, fmsg, c->steps);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_finish(fmsg), c->err);
	/* finish is idempotent */
	KUNIT_EXPECT_EQ(test, devlink_fmsg_finish(fmsg), c->err);

	if (!c->err) {
		KUNIT_EXPECT_EQ(test, devlink_fmsg_malformed(fmsg),
				c->malformed);
		fmsg_test_expect_ref_bytes(test, fmsg, c->steps, 0);
		return;
	}

	/* A refused fmsg never reaches userspace, not even in part. */
	skb = fmsg_test_skb(test, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_fill(fmsg, skb, &cursor), c->err);
	KUNIT_EXPECT_EQ(test, skb->len, 0);
	KUNIT_EXPECT_EQ(test, cursor.chunk, 0);
	KUNIT_EXPECT_EQ(test, cursor.offset, 0);
}

/* ----- first error kept ----- */

struct fmsg_test_first_err_case {
	const char *desc;
	struct fmsg_test_step first[6];
	struct fmsg_test_step later[6];
	int err;
};

static const struct fmsg_test_first_err_case fmsg_test_first_err_cases[] = {
	{ "binary pair end outside one, then valid puts",
	  { { OP_OBJ_START }, { OP_U32_PAIR, "v", .num = 1 }, { OP_OBJ_END },
	    { OP_BIN_END } },
	  { { OP_OBJ_START }, { OP_U32_PAIR, "v", .repeat = 2000 },
	    { OP_BINARY_PAIR, "b", .len = 100000 }, { OP_OBJ_END } },
	  -EINVAL },
	{ "oversized name, then unbalanced ends",
	  { { OP_OBJ_START }, { OP_U8_PAIR, .len = FMSG_MAX + 1 } },
	  { { OP_OBJ_END }, { OP_OBJ_END }, { OP_STRING_PAIR, "s", "v" } },
	  -EMSGSIZE },
	{ "binary put outside its nest, then an oversized string",
	  { { OP_ARR_START, "a" }, { OP_BINARY, .len = 8 } },
	  { { OP_STRING, .len = FMSG_MAX + 1 }, { OP_ARR_END },
	    { OP_U64_PAIR, "u", .repeat = 500 } },
	  -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(fmsg_test_first_err, fmsg_test_first_err_cases, desc);

static void devlink_fmsg_test_first_error_kept(struct kunit *test)
{
	const struct fmsg_test_first_err_case *c = test->param_value;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	struct devlink_fmsg_cursor cursor = {};
	struct sk_buff *skb = fmsg_test_skb(test, PAGE_SIZE);
	size_t len, mem;

	fmsg_test_play(test, fmsg, c->first);
	len = devlink_fmsg_len(fmsg);
	mem = devlink_fmsg_mem(fmsg);

	fmsg_test_play(test, fmsg, c->later);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_len(fmsg), len);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_mem(fmsg), mem);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_finish(fmsg), c->err);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_fill(fmsg, skb, &cursor), c->err);
	KUNIT_EXPECT_EQ(test, skb->len, 0);
}

/* ----- binary blobs split in pieces ----- */

#define FMSG_PIECE	DEVLINK_FMSG_BINARY_PIECE

/* @driver_put: one devlink_fmsg_binary_put() of @len, not a binary pair put */
struct fmsg_test_binary_case {
	const char *desc;
	u32 len;
	bool driver_put;
};

static const struct fmsg_test_binary_case fmsg_test_binary_cases[] = {
	{ "10000 bytes: full pieces and the remainder", 10000 },
	{ "two full pieces exactly, no empty third", 2 * FMSG_PIECE },
	{ "one byte", 1 },
	{ "empty blob: an empty array", 0 },
	{ "driver's value of DEVLINK_FMSG_MAX_SIZE: a piece and the rest",
	  FMSG_MAX, true },
	{ "driver's value of one piece: kept whole", FMSG_PIECE, true },
};

KUNIT_ARRAY_PARAM_DESC(fmsg_test_binary, fmsg_test_binary_cases, desc);

static void devlink_fmsg_test_binary_chunking(struct kunit *test)
{
	const struct fmsg_test_binary_case *c = test->param_value;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	u8 *blob = fmsg_test_pattern(test, c->len);
	u8 *back = fmsg_test_vmalloc(test, c->len + 1);
	const u32 pieces = DIV_ROUND_UP(c->len, FMSG_PIECE);
	static const u16 head[] = {
		DEVLINK_ATTR_FMSG_OBJ_NEST_START,
		DEVLINK_ATTR_FMSG_PAIR_NEST_START,
		DEVLINK_ATTR_FMSG_OBJ_NAME,
		DEVLINK_ATTR_FMSG_ARR_NEST_START,
	};
	const struct nlattr *attr;
	struct fmsg_test_stream st;
	u32 n = 0, off = 0, piece;
	int rem;

	/* The cut must not show in the devlink tool's 16-byte lines. */
	KUNIT_EXPECT_EQ(test, FMSG_PIECE % 16, 0);

	devlink_fmsg_obj_nest_start(fmsg);
	if (c->driver_put) {
		devlink_fmsg_binary_pair_nest_start(fmsg, "bin");
		devlink_fmsg_binary_put(fmsg, blob, c->len);
		devlink_fmsg_binary_pair_nest_end(fmsg);
	} else {
		devlink_fmsg_binary_pair_put(fmsg, "bin", blob, c->len);
	}
	devlink_fmsg_obj_nest_end(fmsg);
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));

	fmsg_test_stream_init(test, &st, c->len + PAGE_SIZE);
	/*
	 * Messages of NLMSG_GOODSIZE, the least a DUMP_GET reader gets,
	 * after the netlink and genetlink headers: every piece fits one.
	 */
	fmsg_test_serialize(test, fmsg,
			    NLMSG_GOODSIZE - NLMSG_HDRLEN - GENL_HDRLEN, &st);
	KUNIT_EXPECT_EQ(test, st.len, devlink_fmsg_len(fmsg));

	/* head, (type, data) per piece, then 3 ends: array, pair, object */
	nla_for_each_attr(attr, (const struct nlattr *)st.buf, st.len, rem) {
		if (n < ARRAY_SIZE(head)) {
			KUNIT_ASSERT_EQ(test, nla_type(attr), head[n]);
		} else if (n >= ARRAY_SIZE(head) + 2 * pieces) {
			KUNIT_ASSERT_EQ(test, nla_type(attr),
					DEVLINK_ATTR_FMSG_NEST_END);
		} else if ((n - ARRAY_SIZE(head)) % 2 == 0) {
			KUNIT_ASSERT_EQ(test, nla_type(attr),
					DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE);
			KUNIT_ASSERT_EQ(test, nla_get_u8(attr), NLA_BINARY);
		} else {
			KUNIT_ASSERT_EQ(test, nla_type(attr),
					DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA);
			piece = min_t(u32, c->len - off, FMSG_PIECE);
			KUNIT_ASSERT_EQ(test, nla_len(attr), piece);
			memcpy(back + off, nla_data(attr), piece);
			off += piece;
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, rem, 0);
	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(head) + 2 * pieces + 3);
	KUNIT_ASSERT_EQ(test, off, c->len);
	KUNIT_EXPECT_MEMEQ(test, back, blob, c->len);
}

/*
 * A stored binary dump is memory a driver leaves on the reporter: its
 * pieces of ~3.7 KiB must pack into the chunks with little unused tail.
 * 6.12 takes a 4 KiB slab object per piece, 9% over the payload; ours
 * must stay under 4% (16 KiB chunks would waste 9%), plus the unused end
 * of the last chunk, which is at most one 64 KiB chunk.
 */
static void devlink_fmsg_test_binary_memory(struct kunit *test)
{
	const u32 blob_len = 4U << 20;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	u8 *blob = fmsg_test_pattern(test, blob_len);
	size_t len, mem;

	devlink_fmsg_obj_nest_start(fmsg);
	devlink_fmsg_binary_pair_put(fmsg, "bin", blob, blob_len);
	devlink_fmsg_obj_nest_end(fmsg);
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));

	len = devlink_fmsg_len(fmsg);
	mem = devlink_fmsg_mem(fmsg);
	KUNIT_EXPECT_GT(test, len, blob_len);
	KUNIT_EXPECT_LE_MSG(test, mem, len + len / 25 + SZ_64K,
			    "%zu bytes held for %zu encoded", mem, len);
}

/* ----- size limit ----- */

/* PAIR_START + NAME "a" + ARR_NEST_START, then 16 bytes per u32, 2 ends */
#define FMSG_TEST_ARR_HEAD	16
#define FMSG_TEST_U32_ITEM	16
#define FMSG_TEST_ARR_TAIL	8

struct fmsg_test_limit_case {
	const char *desc;
	int slack;
	int err;
};

static const struct fmsg_test_limit_case fmsg_test_limit_cases[] = {
	{ "fmsg of exactly the limit", 0, 0 },
	{ "fmsg one byte over the limit", -1, -EMSGSIZE },
};

KUNIT_ARRAY_PARAM_DESC(fmsg_test_limit, fmsg_test_limit_cases, desc);

static void devlink_fmsg_test_size_limit(struct kunit *test)
{
	const struct fmsg_test_limit_case *c = test->param_value;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	const size_t exact = FMSG_TEST_ARR_HEAD + 300 * FMSG_TEST_U32_ITEM +
			     FMSG_TEST_ARR_TAIL;
	const size_t limit = exact + c->slack;
	size_t len, mem;
	int i;

	devlink_fmsg_set_size_max(fmsg, limit);
	devlink_fmsg_arr_pair_nest_start(fmsg, "a");
	for (i = 0; i < 300; i++)
		devlink_fmsg_u32_put(fmsg, i);
	devlink_fmsg_arr_pair_nest_end(fmsg);
	KUNIT_ASSERT_LE(test, devlink_fmsg_len(fmsg), limit);

	len = devlink_fmsg_len(fmsg);
	mem = devlink_fmsg_mem(fmsg);
	if (!c->err) {
		KUNIT_EXPECT_EQ(test, len, exact);
		KUNIT_EXPECT_EQ(test, devlink_fmsg_finish(fmsg), 0);
		return;
	}

	/* Past the limit, nothing grows any more. */
	devlink_fmsg_binary_pair_put(fmsg, "b", fmsg_test_pattern(test, 65536),
				     65536);
	for (i = 0; i < 1000; i++)
		devlink_fmsg_u32_pair_put(fmsg, "v", i);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_len(fmsg), len);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_mem(fmsg), mem);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_finish(fmsg), c->err);
}

/* The real DEVLINK_FMSG_SIZE_MAX, reached with 1 MiB blobs. */
static void devlink_fmsg_test_size_limit_default(struct kunit *test)
{
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	const u32 blob_len = SZ_1M;
	u8 *blob = fmsg_test_pattern(test, blob_len);
	size_t len, mem;
	int i;

	devlink_fmsg_arr_pair_nest_start(fmsg, "blobs");
	for (i = 0; i < DEVLINK_FMSG_SIZE_MAX / blob_len + 2; i++)
		devlink_fmsg_binary_pair_put(fmsg, "b", blob, blob_len);
	len = devlink_fmsg_len(fmsg);
	mem = devlink_fmsg_mem(fmsg);
	KUNIT_EXPECT_LE(test, len, (size_t)DEVLINK_FMSG_SIZE_MAX);
	/* It stopped only when the next piece did not fit. */
	KUNIT_EXPECT_GT(test, len, DEVLINK_FMSG_SIZE_MAX - 2 * FMSG_MAX);
	KUNIT_EXPECT_LT(test, mem, (size_t)DEVLINK_FMSG_SIZE_MAX / 4 * 5);
	kunit_info(test, "%zu bytes encoded in %zu bytes of memory\n", len,
		   mem);

	devlink_fmsg_binary_pair_put(fmsg, "b", blob, blob_len);
	devlink_fmsg_arr_pair_nest_end(fmsg);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_len(fmsg), len);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_mem(fmsg), mem);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_finish(fmsg), -EMSGSIZE);
}

/* ----- resuming a serialization over many messages ----- */

#define FMSG_TEST_ELEMS		20000
/* per element: OBJ_START PAIR_START NAME TYPE DATA NEST_END NEST_END */
#define FMSG_TEST_ELEM_ATTRS	7
#define FMSG_TEST_HEAD_ATTRS	4
#define FMSG_TEST_TAIL_ATTRS	3

/* { obj { "elems": [ { "v": 0 }, { "v": 1 }, ... ] } } */
static void fmsg_test_elems(struct kunit *test, struct devlink_fmsg *fmsg,
			    const char *name, u32 count)
{
	u32 i;

	devlink_fmsg_obj_nest_start(fmsg);
	devlink_fmsg_arr_pair_nest_start(fmsg, "elems");
	for (i = 0; i < count; i++) {
		devlink_fmsg_obj_nest_start(fmsg);
		devlink_fmsg_u32_pair_put(fmsg, name, i);
		devlink_fmsg_obj_nest_end(fmsg);
	}
	devlink_fmsg_arr_pair_nest_end(fmsg);
	devlink_fmsg_obj_nest_end(fmsg);
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));
}

/* Check that @attr is the @k-th attribute of fmsg_test_elems("v"). */
static void fmsg_test_check_elem_attr(struct kunit *test,
				      const struct nlattr *attr, u32 k)
{
	static const u16 head[] = {
		DEVLINK_ATTR_FMSG_OBJ_NEST_START,
		DEVLINK_ATTR_FMSG_PAIR_NEST_START,
		DEVLINK_ATTR_FMSG_OBJ_NAME,
		DEVLINK_ATTR_FMSG_ARR_NEST_START,
	};
	static const u16 elem[] = {
		DEVLINK_ATTR_FMSG_OBJ_NEST_START,
		DEVLINK_ATTR_FMSG_PAIR_NEST_START,
		DEVLINK_ATTR_FMSG_OBJ_NAME,
		DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE,
		DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA,
		DEVLINK_ATTR_FMSG_NEST_END,
		DEVLINK_ATTR_FMSG_NEST_END,
	};
	u32 e, slot;

	if (k < FMSG_TEST_HEAD_ATTRS) {
		KUNIT_ASSERT_EQ(test, nla_type(attr), head[k]);
		return;
	}
	k -= FMSG_TEST_HEAD_ATTRS;
	if (k >= FMSG_TEST_ELEMS * FMSG_TEST_ELEM_ATTRS) {
		KUNIT_ASSERT_LT(test, k - FMSG_TEST_ELEMS * FMSG_TEST_ELEM_ATTRS,
				FMSG_TEST_TAIL_ATTRS);
		KUNIT_ASSERT_EQ(test, nla_type(attr), DEVLINK_ATTR_FMSG_NEST_END);
		return;
	}
	e = k / FMSG_TEST_ELEM_ATTRS;
	slot = k % FMSG_TEST_ELEM_ATTRS;
	KUNIT_ASSERT_EQ_MSG(test, nla_type(attr), elem[slot], "element %u", e);
	if (slot == 2)
		KUNIT_ASSERT_STREQ(test, (char *)nla_data(attr), "v");
	if (slot == 3)
		KUNIT_ASSERT_EQ(test, nla_get_u8(attr), NLA_U32);
	if (slot == 4)
		KUNIT_ASSERT_EQ_MSG(test, nla_get_u32(attr), e,
				    "element lost or repeated");
}

/* Bytes of the item whose first attribute is the @k-th one. */
static u32 fmsg_test_elem_item_len(u32 k)
{
	if (k == 2)
		return nla_total_size(sizeof("elems"));
	if (k < FMSG_TEST_HEAD_ATTRS)
		return nla_total_size(0);
	k = (k - FMSG_TEST_HEAD_ATTRS) % FMSG_TEST_ELEM_ATTRS;
	if (k == 2)
		return nla_total_size(sizeof("v"));
	if (k == 3)
		return 2 * nla_total_size(sizeof(u32));
	return nla_total_size(0);
}

struct fmsg_test_resume_case {
	const char *desc;
	unsigned int room;
};

static const struct fmsg_test_resume_case fmsg_test_resume_cases[] = {
	{ "1 KiB messages", SZ_1K },
	{ "4 KiB messages", SZ_4K },
	{ "GENLMSG_DEFAULT_SIZE messages", GENLMSG_DEFAULT_SIZE },
	{ "32 KiB messages, as netlink dumps", SZ_32K },
	{ "128 KiB skbs, nests capped at 64 KiB", SZ_128K },
};

KUNIT_ARRAY_PARAM_DESC(fmsg_test_resume, fmsg_test_resume_cases, desc);

static void devlink_fmsg_test_resume(struct kunit *test)
{
	const struct fmsg_test_resume_case *c = test->param_value;
	const u32 total = FMSG_TEST_HEAD_ATTRS +
			  FMSG_TEST_ELEMS * FMSG_TEST_ELEM_ATTRS +
			  FMSG_TEST_TAIL_ATTRS;
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	struct sk_buff *skb = fmsg_test_skb(test, c->room);
	struct devlink_fmsg_cursor cursor = {}, prev;
	const struct nlattr *nest, *attr;
	u32 k = 0, messages = 0, room;
	int err, rem;

	fmsg_test_elems(test, fmsg, "v", FMSG_TEST_ELEMS);

	do {
		skb_trim(skb, 0);
		prev = cursor;
		err = devlink_fmsg_fill(fmsg, skb, &cursor);
		KUNIT_ASSERT_TRUE(test, !err || err == -EMSGSIZE);
		KUNIT_ASSERT_TRUE(test, prev.chunk != cursor.chunk ||
				  prev.offset != cursor.offset);
		messages++;

		/* A message starts with a whole item, never with value data. */
		if (k >= FMSG_TEST_HEAD_ATTRS)
			KUNIT_ASSERT_NE(test, (k - FMSG_TEST_HEAD_ATTRS) %
					FMSG_TEST_ELEM_ATTRS, 4);

		nest = fmsg_test_nest(test, skb, 0);
		nla_for_each_attr(attr, nla_data(nest), nla_len(nest), rem) {
			KUNIT_ASSERT_LT(test, k, total);
			fmsg_test_check_elem_attr(test, attr, k++);
		}
		KUNIT_ASSERT_EQ(test, rem, 0);

		/* Full messages: the next item would not have fit. */
		if (err) {
			room = min_t(u32, skb_tailroom(skb),
				     U16_MAX - nest->nla_len);
			KUNIT_ASSERT_LT(test, room, fmsg_test_elem_item_len(k));
		}
	} while (err);

	KUNIT_EXPECT_EQ(test, k, total);
	KUNIT_EXPECT_TRUE(test, devlink_fmsg_cursor_done(fmsg, &cursor));
	KUNIT_EXPECT_GE(test, messages,
			DIV_ROUND_UP(devlink_fmsg_len(fmsg),
				     min_t(u32, c->room, U16_MAX)));
	kunit_info(test, "%u messages\n", messages);
}

/* A stream of every type, sent in one skb or in many small ones. */
static void devlink_fmsg_test_resume_same_stream(struct kunit *test)
{
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	struct fmsg_test_stream whole, pieces;
	char name[16];
	u32 i;

	devlink_fmsg_obj_nest_start(fmsg);
	for (i = 0; i < 250; i++) {
		snprintf(name, sizeof(name), "e%u", i * 37);
		devlink_fmsg_pair_nest_start(fmsg, name);
		devlink_fmsg_obj_nest_start(fmsg);
		devlink_fmsg_u64_pair_put(fmsg, "u64", (u64)i << 33 | i);
		devlink_fmsg_string_pair_put(fmsg, name + i % 3, name);
		devlink_fmsg_bool_pair_put(fmsg, "b", i & 1);
		devlink_fmsg_u8_pair_put(fmsg, "u8", i);
		/* up to 600 bytes: every item fits a 1 KiB message */
		if (i % 50 == 0)
			devlink_fmsg_binary_pair_put(fmsg, "bin",
						     fmsg_test_pattern(test, i * 3),
						     i * 3);
		devlink_fmsg_obj_nest_end(fmsg);
		devlink_fmsg_pair_nest_end(fmsg);
	}
	devlink_fmsg_obj_nest_end(fmsg);
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));
	KUNIT_ASSERT_LT(test, devlink_fmsg_len(fmsg), U16_MAX - NLA_HDRLEN);

	fmsg_test_stream_init(test, &whole, devlink_fmsg_len(fmsg));
	fmsg_test_serialize(test, fmsg, SZ_128K, &whole);
	KUNIT_ASSERT_EQ(test, whole.messages, 1);

	fmsg_test_stream_init(test, &pieces, devlink_fmsg_len(fmsg));
	fmsg_test_serialize(test, fmsg, SZ_1K, &pieces);
	KUNIT_EXPECT_GT(test, pieces.messages, 40);

	KUNIT_ASSERT_EQ(test, pieces.len, whole.len);
	KUNIT_EXPECT_MEMEQ(test, pieces.buf, whole.buf, whole.len);
}

/* Too small a message: nothing added, the cursor stays. */
static void devlink_fmsg_test_skb_too_small(struct kunit *test)
{
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	/* OBJ, PAIR, NAME "v" | TYPE + DATA | END, END */
	const u32 head = 4 + 4 + 8, value = 16, tail = 8;
	struct devlink_fmsg_cursor cursor = {}, start;
	struct sk_buff *skb;
	const struct nlattr *nest;

	devlink_fmsg_obj_nest_start(fmsg);
	devlink_fmsg_u32_pair_put(fmsg, "v", 1);
	devlink_fmsg_obj_nest_end(fmsg);
	KUNIT_ASSERT_EQ(test, 0, devlink_fmsg_finish(fmsg));
	KUNIT_ASSERT_EQ(test, devlink_fmsg_len(fmsg), head + value + tail);

	/* No room even for the nest header. */
	skb = fmsg_test_skb(test, NLA_HDRLEN - 1);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_fill(fmsg, skb, &cursor), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb->len, 0);
	KUNIT_EXPECT_EQ(test, cursor.chunk, 0);
	KUNIT_EXPECT_EQ(test, cursor.offset, 0);

	/* Room for the nest header only: the nest is cancelled. */
	skb = fmsg_test_skb(test, NLA_HDRLEN + 3);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_fill(fmsg, skb, &cursor), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb->len, 0);
	KUNIT_EXPECT_EQ(test, cursor.offset, 0);

	/* Room for the type of the value but not its data: stop before it. */
	skb = fmsg_test_skb(test, NLA_HDRLEN + head + value - 4);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_fill(fmsg, skb, &cursor), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb->len, NLA_HDRLEN + head);
	nest = fmsg_test_nest(test, skb, 0);
	KUNIT_EXPECT_EQ(test, nla_type((struct nlattr *)((u8 *)nla_data(nest) +
						       head - 8)),
			DEVLINK_ATTR_FMSG_OBJ_NAME);
	start = cursor;

	/* Mid-stream, a message too small for the value moves nothing. */
	skb = fmsg_test_skb(test, NLA_HDRLEN + value - 4);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_fill(fmsg, skb, &cursor), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb->len, 0);
	KUNIT_EXPECT_EQ(test, cursor.chunk, start.chunk);
	KUNIT_EXPECT_EQ(test, cursor.offset, start.offset);

	/* Exactly the value. */
	skb = fmsg_test_skb(test, NLA_HDRLEN + value);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_fill(fmsg, skb, &cursor), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb->len, NLA_HDRLEN + value);
	nest = fmsg_test_nest(test, skb, 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32((struct nlattr *)((u8 *)nla_data(nest) +
							    8)), 1);

	/* The rest. */
	skb = fmsg_test_skb(test, NLA_HDRLEN + tail);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_fill(fmsg, skb, &cursor), 0);
	KUNIT_EXPECT_EQ(test, skb->len, NLA_HDRLEN + tail);
	KUNIT_EXPECT_TRUE(test, devlink_fmsg_cursor_done(fmsg, &cursor));
}

/* An empty fmsg gives one empty nest, as upstream's diagnose reply. */
static void devlink_fmsg_test_empty(struct kunit *test)
{
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	struct sk_buff *skb = fmsg_test_skb(test, PAGE_SIZE);
	struct devlink_fmsg_cursor cursor = {};

	KUNIT_EXPECT_EQ(test, devlink_fmsg_finish(fmsg), 0);
	KUNIT_EXPECT_EQ(test, devlink_fmsg_len(fmsg), 0);
	KUNIT_EXPECT_TRUE(test, devlink_fmsg_cursor_done(fmsg, &cursor));
	KUNIT_EXPECT_EQ(test, devlink_fmsg_fill(fmsg, skb, &cursor), 0);
	KUNIT_EXPECT_EQ(test, nla_len(fmsg_test_nest(test, skb, 0)), 0);
}

/*
 * Upstream spends ~190 bytes of slab per such element, one item each.
 * Stored, an element is 6 items: 4 + 4 + 12 (name "index") + 8 (u32
 * value) + 4 + 4 = 36 bytes, plus its share of the chunk table and of the
 * unused chunk tails.
 */
static void devlink_fmsg_test_mem_per_element(struct kunit *test)
{
	struct devlink_fmsg *fmsg = fmsg_test_alloc(test);
	size_t per_elem;

	fmsg_test_elems(test, fmsg, "index", FMSG_TEST_ELEMS);
	per_elem = devlink_fmsg_mem(fmsg) / FMSG_TEST_ELEMS;
	kunit_info(test, "%zu bytes per obj { u32 pair } element, %zu on the wire\n",
		   per_elem, devlink_fmsg_len(fmsg) / FMSG_TEST_ELEMS);
	KUNIT_EXPECT_LE(test, per_elem, 38);
	/* 4 + 4 + 12 ("index") + 8 + 8 + 4 + 4 as attributes */
	KUNIT_EXPECT_EQ(test, devlink_fmsg_len(fmsg) / FMSG_TEST_ELEMS, 44);
}

static struct kunit_case devlink_fmsg_test_cases[] = {
	KUNIT_CASE_PARAM(devlink_fmsg_test_value_encoding,
			 fmsg_test_value_gen_params),
	KUNIT_CASE_PARAM(devlink_fmsg_test_generic_put,
			 fmsg_test_put_gen_params),
	KUNIT_CASE_PARAM(devlink_fmsg_test_dump_skb, fmsg_test_skb_gen_params),
	KUNIT_CASE_PARAM(devlink_fmsg_test_matches_upstream_bytes,
			 fmsg_test_skew_gen_params),
	KUNIT_CASE(devlink_fmsg_test_netdevsim_6_12_accepted),
	KUNIT_CASE_PARAM(devlink_fmsg_test_nesting, fmsg_test_nest_gen_params),
	KUNIT_CASE_PARAM(devlink_fmsg_test_first_error_kept,
			 fmsg_test_first_err_gen_params),
	KUNIT_CASE(devlink_fmsg_test_binary_memory),
	KUNIT_CASE_PARAM(devlink_fmsg_test_binary_chunking,
			 fmsg_test_binary_gen_params),
	KUNIT_CASE_PARAM(devlink_fmsg_test_size_limit,
			 fmsg_test_limit_gen_params),
	KUNIT_CASE_SLOW(devlink_fmsg_test_size_limit_default),
	KUNIT_CASE_PARAM(devlink_fmsg_test_resume, fmsg_test_resume_gen_params),
	KUNIT_CASE(devlink_fmsg_test_resume_same_stream),
	KUNIT_CASE(devlink_fmsg_test_skb_too_small),
	KUNIT_CASE(devlink_fmsg_test_empty),
	KUNIT_CASE(devlink_fmsg_test_mem_per_element),
	{}
};

static struct kunit_suite devlink_fmsg_test_suite = {
	.name = "devlink_health_fmsg",
	.test_cases = devlink_fmsg_test_cases,
};

kunit_test_suite(devlink_fmsg_test_suite);

MODULE_DESCRIPTION("KUnit tests of the devlink health formatted message engine");
MODULE_LICENSE("GPL");
