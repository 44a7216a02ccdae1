#!/usr/bin/env node
// Committed launcher (the bin must exist before the first build so npm links it).
import "../dist/bin.js";
