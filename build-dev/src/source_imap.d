build-dev/src/source_imap.o: src/source_imap.c src/message.h src/conf.h \
 src/util.h src/source.h src/store.h src/tls_verify.h src/utf8.h \
 src/banned.h
src/message.h:
src/conf.h:
src/util.h:
src/source.h:
src/store.h:
src/tls_verify.h:
src/utf8.h:
src/banned.h:
