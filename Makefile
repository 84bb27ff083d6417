# mailcomments: an email-driven comment moderation gateway for static sites.
#
#   make            build ./mailcomments
#   make check      install missing Debian packages (as root), build, run
#                   every test; ends with "N passed, N failed"
#   make check-san  the same suite against an ASan + UBSan build
#   make demo       install, build, and run the whole flow on the defaults
#   make install    PREFIX=/usr/local DESTDIR=
#   make fuzz       run every fuzz target for FUZZ_SECONDS each
#   make bench      the benchmarks (ratios against baselines)
#   make pot        po/mailcomments.pot from the sources (xgettext)
#   make po         the same, merged into every po/LANG.po (msgmerge)

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= $(PREFIX)/etc
DOCDIR    ?= $(PREFIX)/share/doc/mailcomments
# The shipped translation catalogs (po/*.po), compiled into the program
# as where it reads them (src/catalog.c).

CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS       = libetpan sqlite3 libconfig libcmark libxml-2.0 libcurl gnutls \
             libidn2 json-c zlib

# libetpan's .pc carries Debian's no-pie specs file, which clang and the
# sanitizers reject; it is a packaging detail, not a need of ours.
# json-c's -I would put its json.h before ours: its headers are included
# as <json-c/json.h>.
PKG_CFLAGS := $(filter-out %/json-c,$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
# libcurl and libxml2 are compiled against, not linked: src/curlload.c
# and src/xmlload.c open them when first needed, by the SONAME of the
# library their -dev packages install.
PKG_LIBS   := $(filter-out -specs=%,$(shell $(PKG_CONFIG) --libs $(filter-out libcurl libxml-2.0,$(PKGS)) 2>/dev/null))
soname = $(shell objdump -p $$($(PKG_CONFIG) --variable=libdir $(1) 2>/dev/null)/$(2) 2>/dev/null | sed -n 's/^ *SONAME *//p')
CURL_SONAME := $(call soname,libcurl,libcurl.so)
XML_SONAME  := $(call soname,libxml-2.0,libxml2.so)

WARN      = -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN     += -Werror
endif

OPT      ?= -O2 -g
BUILD    ?= build
ifeq ($(SAN),1)
BUILD     = build-san
OPT       = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=undefined
LDSAN     = -fsanitize=address,undefined
endif

ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE -DMC_VERSION='"$(VERSION)"' \
              $(if $(CURL_SONAME),-DMC_CURL_SONAME='"$(CURL_SONAME)"') \
              $(if $(XML_SONAME),-DMC_XML_SONAME='"$(XML_SONAME)"') \
              $(OPT) $(WARN) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDSAN) $(LDFLAGS)
# libunistring has no pkg-config file.
LIBS        = $(PKG_LIBS) -lunistring -lm -pthread

LIB_SRC  = $(filter-out src/main.c,$(wildcard src/*.c src/cmd/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/templates.o \
           $(BUILD)/gen/catalogs.o
LIB      = $(BUILD)/libmailcomments.a
BIN      = $(BUILD)/mailcomments

# Tests link this object before the library: src/clock.c built with
# MAILCOMMENTS_NOW (a clock the tests can set).  The binary tests drive is
# TEST_BIN, the same program with that clock; BIN, the one installed,
# never reads the clock from the environment.
TEST_CLOCK = $(BUILD)/tests/clock-test.o
TEST_BIN   = $(BUILD)/tests/mailcomments-test

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Small programs that integration tests drive (not run by tests/run).
DRV_SRC  = $(wildcard tests/drivers/*.c)
DRV_BIN  = $(DRV_SRC:tests/drivers/%.c=$(BUILD)/tests/drv_%)

.PHONY: man all deps check check-san check-tsan test unit demo install clean fuzz bench \
        fuzz-build pot po

all: $(BIN) mailcomments

# The binary at the top of the tree is the normal build's.
mailcomments: $(BUILD)/mailcomments
ifneq ($(SAN),1)
	ln -sf $(BUILD)/mailcomments mailcomments
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The built-in templates: the files of templates/, compiled in.
$(BUILD)/gen/templates.c: scripts/embed.sh $(wildcard templates/*)
	@mkdir -p $(dir $@)
	sh scripts/embed.sh templates $(sort $(wildcard templates/*)) >$@.tmp
	mv $@.tmp $@

$(BUILD)/gen/templates.o: $(BUILD)/gen/templates.c
	$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

# The shipped translation catalogs: po/*.po, compiled in.
$(BUILD)/gen/catalogs.c: scripts/embed.sh $(wildcard po/*.po)
	@mkdir -p $(dir $@)
	sh scripts/embed.sh catalogs $(sort $(wildcard po/*.po)) >$@.tmp
	mv $@.tmp $@

$(BUILD)/gen/catalogs.o: $(BUILD)/gen/catalogs.c
	$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(TEST_CLOCK): src/clock.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DMC_TEST_CLOCK -c -o $@ $<

$(TEST_BIN): $(BUILD)/src/main.o $(TEST_CLOCK) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(TEST_CLOCK) $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(TEST_CLOCK) $(LIB) $(ALL_LDFLAGS) $(LIBS) -lcmocka

$(BUILD)/tests/drv_%: tests/drivers/%.c $(TEST_CLOCK) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(TEST_CLOCK) $(LIB) $(ALL_LDFLAGS) $(LIBS)

# The checkers of the fuzz targets have their own unit test.
$(BUILD)/tests/test_fuzzcheck: fuzz/check.c fuzz/check.h

# The fault tests' LD_PRELOAD library (tests/faults/faultfs.c).
FAULT_LIB = $(BUILD)/tests/faultfs.so

$(FAULT_LIB): tests/faults/faultfs.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g -fPIC -shared $(WARN) $(CFLAGS) -o $@ $< -ldl

unit: $(UNIT_BIN) $(DRV_BIN) $(TEST_BIN) $(FAULT_LIB)

# Benchmarks: bench/run.sh runs every bench/*.sh; C drivers bench/*.c
# link the library.
BENCH_BIN = $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LIBS)

bench: all $(BENCH_BIN) $(TEST_BIN)
	MC_BUILD=$(BUILD) sh bench/run.sh

deps:
	@sh scripts/deps.sh

# check: every test, against this build; check-san: the same, sanitized.
check: deps
	$(MAKE) all unit
	MC_BUILD=$(BUILD) bash tests/run

check-san: deps
	$(MAKE) SAN=1 CC=$(CC) all unit
	MC_BUILD=build-san MC_SAN=1 bash tests/run

# The code that runs on a second thread (the parse worker, the outbox
# beside the batches) under ThreadSanitizer: the tests that start those
# threads, a race failing the run.  Not in .ci/run (its build alone takes minutes); run it
# before a stop that touches threads.
TSAN_OPT = -O1 -g -fno-omit-frame-pointer -fsanitize=thread
check-tsan: deps
	$(MAKE) BUILD=build-tsan OPT="$(TSAN_OPT)" LDFLAGS=-fsanitize=thread \
		all build-tsan/tests/mailcomments-test
	ln -sf build/mailcomments mailcomments
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" MC_BUILD=build-tsan \
		TESTS="t-batch t-crash-outbox-beside" bash tests/run

demo: deps
	$(MAKE) all
	sh scripts/demo.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR) \
		$(DESTDIR)$(DOCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/mailcomments
	install -m 644 man/mailcomments.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/mailcomments.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 conf/mailcomments.conf \
		$(DESTDIR)$(DOCDIR)/mailcomments.conf.example
	install -d $(DESTDIR)$(DOCDIR)/templates
	install -m 644 templates/* $(DESTDIR)$(DOCDIR)/templates/
	install -d $(DESTDIR)$(DOCDIR)/contrib
	cp -R contrib/hugo contrib/jekyll contrib/eleventy contrib/zola \
		contrib/mailcomments-data.schema.json $(DESTDIR)$(DOCDIR)/contrib/
	test -e $(DESTDIR)$(SYSCONFDIR)/mailcomments.conf || \
		install -m 640 conf/mailcomments.conf \
		$(DESTDIR)$(SYSCONFDIR)/mailcomments.conf

# The settings section of mailcomments.conf(5) comes from the settings table.
man: $(BIN)
	sh scripts/mkman.sh $(BIN) >man/mailcomments.conf.5.tmp
	mv man/mailcomments.conf.5.tmp man/mailcomments.conf.5

# The translators' template: every string marked in the sources, by the
# keywords catalog.h documents.  Locations are file names only (no line
# numbers) and the creation date is left out, so the file changes only
# when the strings do; t-catalog checks it is current.
POT      ?= po/mailcomments.pot
POT_KEYS  = --keyword --keyword=_:2 --keyword=C_:2c,3 --keyword=P_:2,3 \
            --keyword=CP_:2c,3,4 --keyword=N_:1 --keyword=NC_:1c,2 \
            --keyword=NP_:1,2 --keyword=NCP_:1c,2,3 \
            --keyword=WORDS_:1c,2

pot:
	xgettext --language=C --from-code=UTF-8 $(POT_KEYS) \
		--add-comments=TRANSLATORS: --add-location=file \
		--package-name=mailcomments --package-version=$(VERSION) \
		-o - \
		$(sort $(wildcard src/*.c src/cmd/*.c)) | \
		sed '/^"POT-Creation-Date: /d' >$(POT).tmp
	mv $(POT).tmp $(POT)

# New strings appear untranslated (or fuzzy: a guess, not shown until a
# translator clears the flag) in each catalog.
po: pot
	for f in po/*.po; do \
		msgmerge --quiet --update --backup=none --add-location=file \
			"$$f" $(POT) || exit 1; \
	done

# fuzz-build: the libFuzzer targets, one per entry point of untrusted
# text (fuzz/fuzz_NAME.c), and the library sources they need, compiled
# with clang and the sanitizers into build-fuzz/; fuzz/check.c, the
# checkers of their outputs, gets no coverage instrumentation (the
# fuzzer should explore mailcomments, not them).  fuzz: runs each target
# for FUZZ_SECONDS (FUZZ_SECONDS_NAME for one of them), with its seeds
# and dictionary (fuzz/run.sh); FUZZ_TARGETS narrows the list.  Every
# target runs even when one fails; the run fails if any did.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR      = build-fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -DMC_VERSION='"$(VERSION)"' \
                -DMC_FUZZING -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) \
                $(WARN) $(PKG_CFLAGS) -MMD -MP
FUZZ_OBJ      = $(LIB_SRC:%.c=$(FUZZ_DIR)/%.o) $(FUZZ_DIR)/gen/templates.o \
                $(FUZZ_DIR)/gen/catalogs.o
FUZZ_ALL      = $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/gen/templates.c: scripts/embed.sh $(wildcard templates/*)
	@mkdir -p $(dir $@)
	sh scripts/embed.sh templates $(sort $(wildcard templates/*)) >$@.tmp
	mv $@.tmp $@

$(FUZZ_DIR)/gen/templates.o: $(FUZZ_DIR)/gen/templates.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc -c -o $@ $<

$(FUZZ_DIR)/gen/catalogs.c: scripts/embed.sh $(wildcard po/*.po)
	@mkdir -p $(dir $@)
	sh scripts/embed.sh catalogs $(sort $(wildcard po/*.po)) >$@.tmp
	mv $@.tmp $@

$(FUZZ_DIR)/gen/catalogs.o: $(FUZZ_DIR)/gen/catalogs.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc -c -o $@ $<

$(FUZZ_DIR)/libmailcomments.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/check.o: fuzz/check.c fuzz/check.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c fuzz/input.h $(FUZZ_DIR)/check.o \
		$(FUZZ_DIR)/libmailcomments.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -Ifuzz -o $@ $< \
		$(FUZZ_DIR)/check.o $(FUZZ_DIR)/libmailcomments.a $(LIBS)

fuzz: fuzz-build
	@failed=; \
	for t in $(foreach t,$(FUZZ_TARGETS),$(t):$(or $(FUZZ_SECONDS_$(t)),$(FUZZ_SECONDS))); do \
		sh fuzz/run.sh $${t%%:*} $${t#*:} || failed="$$failed $${t%%:*}"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed" >&2; exit 1; fi; \
	echo "fuzz: $(words $(FUZZ_TARGETS)) targets, no failure" >&2

clean:
	rm -rf build build-san build-tsan build-fuzz mailcomments tests/out

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d $(TEST_CLOCK:.o=.d) $(wildcard $(FUZZ_DIR)/src/*.d $(FUZZ_DIR)/src/cmd/*.d $(FUZZ_DIR)/*.d)
