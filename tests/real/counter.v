// Synthesised by yosys and placed by nextpnr, both running inside ward.
module counter(input clk, input rst, input en, output reg [7:0] q, output carry);
  assign carry = &q;
  always @(posedge clk)
    if (rst) q <= 0;
    else if (en) q <= q + 1;
endmodule
