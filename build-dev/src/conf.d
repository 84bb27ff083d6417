build-dev/src/conf.o: src/conf.c src/address.h src/conf.h src/util.h \
 src/fsroot.h src/term.h src/keyfile.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/fsroot.h:
src/term.h:
src/keyfile.h:
src/banned.h:
