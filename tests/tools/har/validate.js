// Validates HAR files with har-validator (HAR 1.2's JSON Schema): prints "valid" per file, or
// the validator's errors and exits 1.
const validate = require("har-validator");
const fs = require("fs");

async function main() {
  let failed = false;
  for (const path of process.argv.slice(2)) {
    const har = JSON.parse(fs.readFileSync(path, "utf8"));
    try {
      await validate.har(har);
      console.log("valid");
    } catch (e) {
      failed = true;
      console.log(`invalid ${path}: ${JSON.stringify(e.errors || e.message)}`);
    }
  }
  process.exit(failed ? 1 : 0);
}
main();
