# plot.gp: the PNG plots of benchmarks/results/, drawn from the data files
# tim_bench_latency writes there. tim_bench_latency runs it with:
#   gnuplot -e "dir='...'; engines='tim xapian ...'; classes='...'; subtitle='...'" plot.gp
n = words(engines)

set terminal pngcairo size 1400,1500 font "DejaVu Sans,11" noenhanced
set output dir.'/latency-by-class.png'
set multiplot layout 3,1 title "Search latency by query class, full corpus, warm, 1 thread (log scale)\n".subtitle
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [0.1:*]
set ylabel "ms"
set grid ytics
set key top left horizontal samplen 2 width 2
set xtics nomirror
percentiles = "p50 p95 p99"
do for [k = 1:3] {
  set title word(percentiles, k)
  plot for [i = 1:n] dir.'/latency-by-class.dat' \
      using (column(1 + (i - 1) * 3 + k)):xtic(1) title word(engines, i)
}
unset multiplot

set terminal pngcairo size 1500,1200 font "DejaVu Sans,10" noenhanced
set output dir.'/latency-vs-size.png'
set multiplot layout 3,3 title "Latency against corpus size, 1 thread: p50 (solid), p95 (dashed), log scale\n".subtitle
set style data linespoints
set yrange [*:*]
set xlabel "articles"
set format x "%.0s%c"
do for [c = 1:words(classes)] {
  set title word(classes, c)
  if (c == 1) { set key top left vertical font ",9" } else { unset key }
  plot for [i = 1:n] dir.'/latency-vs-size.dat' index (c - 1) \
      using 1:(column(2 + (i - 1) * 2)) lc i dt 1 pt 7 title word(engines, i), \
    for [i = 1:n] dir.'/latency-vs-size.dat' index (c - 1) \
      using 1:(column(3 + (i - 1) * 2)) lc i dt 2 pt 6 notitle
}
unset multiplot
