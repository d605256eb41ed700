// Fails when a package in package-lock.json declares a Node.js engine that
// the oldest Node this console supports (package.json "engines") does not
// satisfy: such a package makes `npm ci` print EBADENGINE warnings on that
// Node, and may not run there at all. It reads the lock file only (no
// network, no node_modules), so it gives the same answer whatever Node runs
// it. Fix a failure with an "overrides" entry in package.json that picks a
// version declaring the supported Node, then refresh the lock file.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import semver from 'semver'

const dir = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(readFileSync(`${dir}package.json`, 'utf8'))
const lock = JSON.parse(readFileSync(`${dir}package-lock.json`, 'utf8'))

const supported = manifest.engines?.node
if (!supported) {
  console.error('check-engines: package.json has no "engines.node" to check against')
  process.exit(1)
}
const oldest = semver.minVersion(supported)
if (!oldest) {
  console.error(`check-engines: package.json "engines.node" is not a version range: ${supported}`)
  process.exit(1)
}

const mismatches = []
let checked = 0
for (const [path, pkg] of Object.entries(lock.packages ?? {})) {
  if (path === '') continue
  // npm checks only the object form {"node": range}; the old array form is ignored by npm too.
  const wanted = pkg.engines && !Array.isArray(pkg.engines) ? pkg.engines.node : undefined
  if (!wanted) continue
  checked++
  if (!semver.satisfies(oldest, wanted, { includePrerelease: true })) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    mismatches.push(`  ${name}@${pkg.version} wants node ${wanted} (${path})`)
  }
}

if (mismatches.length > 0) {
  console.error(
    `check-engines: ${mismatches.length} locked package(s) do not support node ${oldest} ` +
      `(package.json engines.node "${supported}"); npm ci would warn EBADENGINE:\n${mismatches.join('\n')}`,
  )
  process.exit(1)
}
console.log(`check-engines: ${checked} locked packages with a node engine all support node ${oldest}`)
