// Next.js with its defaults (the test builds with Turbopack, the default, and with --webpack).
export default {};
