# Utilization against the roofline bound for `make bench` (docs/performance.md):
#   gnuplot -e "csv='build/bench/bench.csv'; svg='build/bench/bench.svg'" scripts/bench_plot.gp
# One point per shape and dtype (the CSV of systole-bench --csv); on the diagonal a GEMM runs at
# its roofline; below it, the distance is what the kernel or the hardware leaves unused.
set datafile separator ','
set terminal svg size 900,620 dynamic font 'sans,12'
set output svg
set title 'Systole GEMM on the simulated default chip: utilization against the roofline bound'
set xlabel 'roofline bound (fraction of the array peak)'
set ylabel 'measured utilization'
set logscale xy
set xrange [0.002:1.2]
set yrange [0.002:1.2]
set key top left
set grid
plot x with lines dashtype 2 linecolor 'gray' title 'at the roofline', \
     x * 0.85 with lines dashtype 3 linecolor 'gray' title '85% of it', \
     csv using ($8):(stringcolumn(5) eq 'bf16' ? $7 : 1/0) every ::1 with points pointtype 7 title 'bf16', \
     csv using ($8):(stringcolumn(5) eq 'fp8' ? $7 : 1/0) every ::1 with points pointtype 5 title 'fp8', \
     csv using ($8):(stringcolumn(5) eq 'int8' ? $7 : 1/0) every ::1 with points pointtype 9 title 'int8'
