// Package yangcheck validates Junos configuration XML against Juniper's
// published YANG models (release 23.4R2) with libyang's yanglint, for
// tests of the packages that write or read such XML (render, sim).
//
// Device XML carries no YANG namespaces, and Junos writes a few things the
// models spell differently; [Checker.Validate] documents the rewriting it
// does before validation. The models are found through
// $CARRIERKIT_JUNOS_YANG, defaulting to ../shared/junos-yang beside the
// repository root ([ModelsDir]). [ForTest] skips a test, saying how to get
// the models, when they are missing, and fails it when yanglint is
// missing (Debian package libyang2-tools).
//
// Each `<family>-conf-<area>` module augments only its family's root, so
// Validate loads the root module plus one module per top-level statement
// the documents use.
//
// # Concurrency
//
// A [Checker] is safe for concurrent use: it holds two paths, and every
// call runs its own yanglint process in its own temporary folder.
package yangcheck
