//! Network topologies for the synchronizers: paths, grids, seeded random connected graphs,
//! their BFS spanning trees and a clustering for γ.

use automata::Pid;
use std::collections::{BTreeSet, VecDeque};

/// An undirected connected graph on processes `0..n`; `adj[p]` is sorted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Graph {
    pub adj: Vec<Vec<Pid>>,
}

/// A rooted spanning tree (of the graph, or of one cluster).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tree {
    pub parent: Vec<Option<Pid>>,
    pub children: Vec<Vec<Pid>>,
    pub depth: Vec<u64>,
}

impl Tree {
    /// The largest depth.
    pub fn height(&self) -> u64 {
        self.depth.iter().copied().max().unwrap_or(0)
    }
}

/// A partition of the graph into clusters, each with a BFS tree from its leader, and one
/// preferred edge between each pair of neighbouring clusters (the smallest such edge).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Clusters {
    pub cluster_of: Vec<usize>,
    pub leaders: Vec<Pid>,
    /// The forest of cluster trees (a leader has no parent).
    pub tree: Tree,
    /// `preferred[p]`: the processes of other clusters that `p` shares a preferred edge with.
    pub preferred: Vec<Vec<Pid>>,
}

impl Clusters {
    pub fn count(&self) -> usize {
        self.leaders.len()
    }
    /// Number of preferred edges.
    pub fn preferred_edges(&self) -> usize {
        self.preferred.iter().map(Vec::len).sum::<usize>() / 2
    }
    /// The largest cluster tree height.
    pub fn height(&self) -> u64 {
        self.tree.height()
    }
}

/// splitmix64 step (a portable seeded generator for random graphs).
fn mix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Graph {
    fn from_edges(n: usize, edges: impl IntoIterator<Item = (Pid, Pid)>) -> Graph {
        let mut adj: Vec<BTreeSet<Pid>> = vec![BTreeSet::new(); n];
        for (a, b) in edges {
            if a != b {
                adj[a].insert(b);
                adj[b].insert(a);
            }
        }
        Graph {
            adj: adj.into_iter().map(|s| s.into_iter().collect()).collect(),
        }
    }

    /// The path 0 - 1 - ... - (n − 1).
    pub fn path(n: usize) -> Graph {
        Graph::from_edges(n, (1..n).map(|i| (i - 1, i)))
    }

    /// A `w × h` grid, row by row.
    pub fn grid(w: usize, h: usize) -> Graph {
        let id = |x: usize, y: usize| y * w + x;
        let mut edges = Vec::new();
        for y in 0..h {
            for x in 0..w {
                if x + 1 < w {
                    edges.push((id(x, y), id(x + 1, y)));
                }
                if y + 1 < h {
                    edges.push((id(x, y), id(x, y + 1)));
                }
            }
        }
        Graph::from_edges(w * h, edges)
    }

    /// A connected random graph: a random tree (each node joins an earlier one) plus each other
    /// edge with probability `p`, drawn from `seed`.
    pub fn random(n: usize, p: f64, seed: u64) -> Graph {
        let mut s = seed;
        let unit = |s: &mut u64| (mix(s) >> 11) as f64 / (1u64 << 53) as f64;
        let mut edges = Vec::new();
        for v in 1..n {
            edges.push(((mix(&mut s) % v as u64) as usize, v));
        }
        for a in 0..n {
            for b in a + 1..n {
                if unit(&mut s) < p {
                    edges.push((a, b));
                }
            }
        }
        Graph::from_edges(n, edges)
    }

    pub fn n(&self) -> usize {
        self.adj.len()
    }

    /// |E|.
    pub fn edges(&self) -> usize {
        self.adj.iter().map(Vec::len).sum::<usize>() / 2
    }

    pub fn neighbours(&self, p: Pid) -> &[Pid] {
        &self.adj[p]
    }

    /// BFS tree from `root` over the processes `allowed` (all of them: `|_| true`), visiting
    /// at most depth `radius`. Unreached processes have depth `u64::MAX`.
    fn bfs(&self, root: Pid, radius: u64, allowed: impl Fn(Pid) -> bool) -> Tree {
        let n = self.n();
        let mut t = Tree {
            parent: vec![None; n],
            children: vec![Vec::new(); n],
            depth: vec![u64::MAX; n],
        };
        t.depth[root] = 0;
        let mut queue = VecDeque::from([root]);
        while let Some(v) = queue.pop_front() {
            if t.depth[v] == radius {
                continue;
            }
            for &w in &self.adj[v] {
                if t.depth[w] == u64::MAX && allowed(w) {
                    t.depth[w] = t.depth[v] + 1;
                    t.parent[w] = Some(v);
                    t.children[v].push(w);
                    queue.push_back(w);
                }
            }
        }
        t
    }

    /// The BFS spanning tree rooted at `root` (the graph is connected).
    pub fn bfs_tree(&self, root: Pid) -> Tree {
        self.bfs(root, u64::MAX, |_| true)
    }

    /// Greedy clustering of radius `k`: the smallest unclustered process leads a cluster of the
    /// unclustered processes within distance `k` of it (a BFS over unclustered processes).
    /// `k = 0`: every process alone (γ is α); `k ≥` the diameter: one cluster (γ is β-like).
    pub fn clusters(&self, k: u64) -> Clusters {
        let n = self.n();
        let mut cluster_of = vec![usize::MAX; n];
        let mut leaders = Vec::new();
        let mut tree = Tree {
            parent: vec![None; n],
            children: vec![Vec::new(); n],
            depth: vec![0; n],
        };
        for v in 0..n {
            if cluster_of[v] != usize::MAX {
                continue;
            }
            let c = leaders.len();
            leaders.push(v);
            let t = self.bfs(v, k, |w| cluster_of[w] == usize::MAX);
            for (w, &d) in t.depth.iter().enumerate() {
                if d != u64::MAX {
                    cluster_of[w] = c;
                    tree.parent[w] = t.parent[w];
                    tree.children[w] = t.children[w].clone();
                    tree.depth[w] = d;
                }
            }
        }
        let mut preferred = vec![Vec::new(); n];
        let mut linked = BTreeSet::new();
        for a in 0..n {
            for &b in &self.adj[a] {
                let (ca, cb) = (cluster_of[a], cluster_of[b]);
                if ca != cb && linked.insert((ca.min(cb), ca.max(cb))) {
                    preferred[a].push(b);
                    preferred[b].push(a);
                }
            }
        }
        Clusters {
            cluster_of,
            leaders,
            tree,
            preferred,
        }
    }
}
