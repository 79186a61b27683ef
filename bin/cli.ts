// Placeholder entry, replaced by the real CLI below in this same change.
process.stdout.write('gongkai\n');
