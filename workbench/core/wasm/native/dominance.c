/* Dominator tree and retained sizes of a graph (Cooper, Harvey & Kennedy, "A Simple,
 * Fast Dominance Algorithm"), the compiled twin of workbench/core/size/dominators.py:
 * the same depth-first order (successors in the given order, a node marked when it is
 * pushed), so `order` is identical, and the dominator tree is unique, so `idom` is.
 *
 * Input: n nodes, successors as CSR (off[n + 1], dst[m]), root 0, sizes[n].
 * Output: order[] (reachable nodes in reverse postorder, count returned), idom[]
 * (0xFFFFFFFF: unreachable), retained[] (u64; 0 for unreachable nodes).
 * Work areas: seen[n] bytes; stack[n], edge[n], rpo[n], poff[n + 1], pred[m] words.
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

#define NIL 0xFFFFFFFFu

__attribute__((export_name("dominators")))
u32 dominators(u32 n, const u32 *off, const u32 *dst, const u32 *sizes, u32 *order,
               u32 *idom, u64 *retained, u8 *seen, u32 *stack, u32 *edge, u32 *rpo,
               u32 *poff, u32 *pred) {
    /* iterative DFS: postorder into `order`, then reversed */
    u32 count = 0, top = 0;
    for (u32 i = 0; i < n; i++) { seen[i] = 0; idom[i] = NIL; retained[i] = 0; rpo[i] = NIL; }
    if (n == 0) return 0;
    seen[0] = 1;
    stack[0] = 0; edge[0] = off[0]; top = 1;
    while (top) {
        u32 node = stack[top - 1], k = edge[top - 1], end = off[node + 1];
        while (k < end && seen[dst[k]]) k++;
        if (k < end) {
            u32 nxt = dst[k];
            edge[top - 1] = k + 1;
            seen[nxt] = 1;
            stack[top] = nxt; edge[top] = off[nxt]; top++;
        } else {
            top--;
            order[count++] = node;
        }
    }
    for (u32 i = 0, j = count - 1; i < j; i++, j--) { u32 t = order[i]; order[i] = order[j]; order[j] = t; }
    for (u32 i = 0; i < count; i++) rpo[order[i]] = i;
    /* predecessors among reachable nodes, in reverse postorder of the source */
    for (u32 i = 0; i <= n; i++) poff[i] = 0;
    for (u32 i = 0; i < count; i++) {
        u32 a = order[i];
        for (u32 k = off[a]; k < off[a + 1]; k++) poff[dst[k] + 1]++;
    }
    for (u32 i = 0; i < n; i++) poff[i + 1] += poff[i];
    for (u32 i = 0; i < n; i++) edge[i] = poff[i];
    for (u32 i = 0; i < count; i++) {
        u32 a = order[i];
        for (u32 k = off[a]; k < off[a + 1]; k++) pred[edge[dst[k]]++] = a;
    }
    idom[0] = 0;
    for (int changed = 1; changed;) {
        changed = 0;
        for (u32 i = 1; i < count; i++) {
            u32 node = order[i], best = NIL;
            for (u32 k = poff[node]; k < poff[node + 1]; k++) {
                u32 p = pred[k];
                if (idom[p] == NIL) continue;
                if (best == NIL) { best = p; continue; }
                u32 a = p, b = best;
                while (a != b) {
                    while (rpo[a] > rpo[b]) a = idom[a];
                    while (rpo[b] > rpo[a]) b = idom[b];
                }
                best = a;
            }
            if (idom[node] != best) { idom[node] = best; changed = 1; }
        }
    }
    for (u32 i = count; i-- > 0;) {
        u32 node = order[i];
        retained[node] += sizes[node];
        if (node != 0) retained[idom[node]] += retained[node];
    }
    return count;
}
