// Package packaging holds the Debian package and release build (build.sh, deb/) and its end-to-end test: the
// package is built, installed with dpkg, run against the test database and purged.
package packaging
