build-dev/src/tls_verify.o: src/tls_verify.c src/tls_verify.h src/util.h \
 src/banned.h
src/tls_verify.h:
src/util.h:
src/banned.h:
