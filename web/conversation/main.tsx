// Skeleton: the interactive conversation mounts here.
const root = document.getElementById('conversation');
if (root) root.dataset.interactive = 'pending';
